/**
 * `/demo`: a page a new user opens to watch a test payment go through (see demo-page.ts), the SDK
 * modules it loads (`/demo/sdk/*.js`), and the shop's "back end" it calls (`POST /demo/api/charge`),
 * which creates a test-mode charge for the demo app. Test mode only: no money can move. The app is
 * PAYGATE_DEMO_APP, else the app named "Demo shop", else the oldest app with an enabled test
 * channel. `PAYGATE_DEMO=0` turns all of it off.
 */
import type { RoutePlugin } from './index.js';
import { fail } from '../../core/errors.js';
import { randomBase62 } from '../../core/ids.js';
import type { Paygate } from '../../engine/paygate.js';
import { renderDemoPage } from './demo-page.js';
import { sdkModule } from './demo-sdk.js';

const DEMO_APP_NAME = 'Demo shop';

async function demoAppId(paygate: Paygate): Promise<string> {
  const named = process.env.PAYGATE_DEMO_APP;
  if (named) return (await paygate.apps.retrieve(named)).id;
  const apps = (await paygate.apps.list()).reverse(); // oldest first
  const candidates = [...apps.filter((a) => a.name === DEMO_APP_NAME), ...apps.filter((a) => a.name !== DEMO_APP_NAME)];
  for (const app of candidates) {
    const channels = await paygate.channels.list(app.id, { livemode: false });
    if (channels.some((c) => c.type === 'test' && c.enabled)) return app.id;
  }
  fail('channel_not_configured', { message: 'The demo needs an app with an enabled test-mode "test" channel: start paygate once with the demo (it creates one), or set PAYGATE_DEMO_APP.' });
}

const hidden = { hide: true } as const;

/** `PAYGATE_DEMO=0` turns the demo off; read on every request, so tests can switch it. */
export const demoIsOn = (): boolean => process.env.PAYGATE_DEMO !== '0';

export const demoRoutes: RoutePlugin = async (app, { paygate }) => {
  app.addHook('onRequest', async (request) => {
    if (!demoIsOn() && request.url.startsWith('/demo')) fail('route_not_found', { message: 'The demo is turned off (PAYGATE_DEMO=0).' });
  });

  app.get('/demo', { schema: hidden }, async (_request, reply) => {
    reply.header('cache-control', 'no-store').type('text/html; charset=utf-8');
    return renderDemoPage();
  });

  app.get<{ Params: { file: string } }>('/demo/sdk/:file', { schema: hidden }, async (request, reply) => {
    const name = request.params.file.replace(/\.js$/, '');
    const code = await sdkModule(name);
    if (code === undefined) fail('route_not_found', { message: `No SDK module ${request.params.file} (build packages/js with: npx tsc -p packages/js/tsconfig.json).` });
    reply.header('cache-control', 'no-cache').type('text/javascript; charset=utf-8');
    return code;
  });

  // The shop's own back end: the only place that holds a secret. Here paygate plays that part.
  app.post<{ Body: { amount?: unknown; subject?: unknown; body?: unknown } | undefined }>('/demo/api/charge', { schema: hidden, config: { idempotency: false } }, async (request) => {
    const input = request.body ?? {};
    const amount = typeof input.amount === 'number' ? input.amount : Number(input.amount ?? 100);
    if (!Number.isInteger(amount) || amount < 1 || amount > 100_000_00) fail('amount_invalid', { param: 'amount', message: 'amount is in fen: an integer from 1 to 10000000.' });
    const subject = typeof input.subject === 'string' && input.subject.trim() ? input.subject.trim().slice(0, 64) : 'Coffee';
    const scope = { app_id: await demoAppId(paygate), livemode: false };
    return paygate.charges.create(scope, {
      order_no: `demo-${randomBase62(16)}`, channel: 'test', amount, currency: 'cny', client_ip: request.ip,
      subject, body: typeof input.body === 'string' && input.body ? input.body.slice(0, 128) : subject, metadata: { demo: true },
    });
  });
};
