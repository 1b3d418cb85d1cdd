/**
 * What `paygate serve` prints once it listens: the URL, the demo's test secret key and a curl
 * example that creates and pays a charge. Other parts add lines through `STARTUP_NOTES` (the admin
 * console adds its URL and login) without editing the serve command.
 */
import type { Paygate } from '../engine/paygate.js';
import type { PaygateConfig } from '../config.js';
import type { DemoKeys } from './demo.js';
import { adminStartupNote } from '../http/admin/startup-note.js';

export interface StartupContext {
  readonly paygate: Paygate;
  readonly config: PaygateConfig;
  /** The URL paygate announces (PAYGATE_PUBLIC_URL or http://HOST:PORT). */
  readonly baseUrl: string;
  /** Whether this start created the demo app. */
  readonly firstStart: boolean;
  readonly demo: DemoKeys | undefined;
}

/** Returns extra lines for the startup message (none to stay silent). */
export type StartupNote = (ctx: StartupContext) => string[] | Promise<string[]>;

/** Contributions to the startup message, printed in order after the demo section. */
export const STARTUP_NOTES: StartupNote[] = [
  adminStartupNote,
  ({ baseUrl }) => [`Watch a payment go through in the browser: ${baseUrl}/demo`],
];

/** The three-line curl walkthrough: create a test charge, open its pay URL (which pays it), read it back. */
export function curlExample(baseUrl: string, demo: DemoKeys): string[] {
  const auth = `-u ${demo.test_secret_key}:`;
  return [
    `CH=$(curl -s ${auth} ${baseUrl}/v1/charges -d order_no=demo$RANDOM -d 'app[id]=${demo.app_id}' -d channel=test -d amount=100 -d currency=cny -d client_ip=127.0.0.1 -d subject=Demo -d body=Demo | grep -o 'ch_[A-Za-z0-9]*' | head -1)`,
    `curl -s ${baseUrl}/pay/test/$CH > /dev/null   # opening the pay URL pays, in test mode`,
    `curl -s ${auth} ${baseUrl}/v1/charges/$CH   # "status":"succeeded","paid":true`,
  ];
}

export async function startupBanner(ctx: StartupContext): Promise<string> {
  const lines = [`paygate is serving on ${ctx.baseUrl}`];
  if (ctx.demo) {
    const channels = await ctx.paygate.channels.list(ctx.demo.app_id, { livemode: false });
    const names = channels.filter((c) => c.enabled).map((c) => c.name).join(', ') || 'no enabled channel';
    lines.push(
      '',
      `${ctx.firstStart ? 'Created the demo app' : 'Demo app'} "${ctx.demo.name}" (${ctx.demo.app_id}) with test-mode channels: ${names}.`,
      `Test secret key: ${ctx.demo.test_secret_key}`,
      '',
      'Try a payment:',
      ...curlExample(ctx.baseUrl, ctx.demo).map((line) => `  ${line}`),
    );
  }
  for (const note of STARTUP_NOTES) {
    const extra = await note(ctx);
    if (extra.length > 0) lines.push('', ...extra);
  }
  return lines.join('\n');
}
