/**
 * The Alipay sandbox as a Fastify plugin: `gateway.do` (Open Platform and mapi, GET or POST,
 * query and form body merged as Alipay does), the cashier, QR scans, the published public key
 * and an index page. paygate mounts it at `/sandbox/alipay` in test mode; `paygate sandbox
 * alipay` mounts it at `/`.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AlipaySandbox } from './sandbox.js';
import { handleOpenApi } from './openapi-gateway.js';
import { handleMapi } from './mapi-gateway.js';
import { buyerAct, cashierPage, finishAsBuyer, scanQrCode } from './page-flow.js';
import { errorPage, htmlReply, jsonReply, textReply, type SandboxReply } from './replies.js';
import { indexHtml } from './pages.js';

const FORM = 'application/x-www-form-urlencoded';
const MAX_BODY_BYTES = 256 * 1024;

/** Query and form body as one map; a repeated key is refused (what is verified must be what is used). */
export function mergedParams(url: string, body: unknown): Record<string, string> | string {
  const params: Record<string, string> = {};
  const queryAt = url.indexOf('?');
  const sources = [queryAt === -1 ? '' : url.slice(queryAt + 1), typeof body === 'string' ? body : ''];
  for (const source of sources) {
    for (const [key, value] of new URLSearchParams(source)) {
      if (Object.prototype.hasOwnProperty.call(params, key)) return key;
      params[key] = value;
    }
  }
  return params;
}

/** Interactive cashier for this browser: a header (for tools) or a cookie (for people). */
function wantsInteractive(request: FastifyRequest): boolean {
  if (request.headers['x-paygate-sandbox-mode'] === 'interactive') return true;
  return /(?:^|;\s*)paygate_sandbox_mode=interactive(?:;|$)/.test(request.headers.cookie ?? '');
}

function send(reply: FastifyReply, answer: SandboxReply): FastifyReply {
  reply.code(answer.status).header('content-type', answer.contentType).header('cache-control', 'no-store');
  if (answer.location) reply.header('location', answer.location);
  return reply.send(answer.body);
}

export interface AlipaySandboxRouteOptions {
  readonly sandbox: AlipaySandbox;
  /** List trades and notifies on the index page (standalone). Embedded in a multi-app paygate it
   * is off: the page would show every app's test trades to whoever opens it. */
  readonly listTrades?: boolean;
}

export async function alipaySandboxRoutes(app: FastifyInstance, options: AlipaySandboxRouteOptions): Promise<void> {
  const { sandbox } = options;
  // Alipay's gateway reads raw form text; parse it here so values arrive exactly as sent.
  if (app.hasContentTypeParser(FORM)) app.removeContentTypeParser(FORM);
  app.addContentTypeParser(FORM, { parseAs: 'string', bodyLimit: MAX_BODY_BYTES }, (_request, body, done) => done(null, body));

  const gateway = async (request: FastifyRequest, reply: FastifyReply) => {
    const params = mergedParams(request.url, request.body);
    if (typeof params === 'string') return send(reply, errorPage('isv.invalid-parameter', `参数 ${params} 重复`));
    const interactive = wantsInteractive(request);
    if (params.method) return send(reply, await handleOpenApi(sandbox, params, interactive));
    if (params.service) return send(reply, await handleMapi(sandbox, params, interactive));
    return send(reply, errorPage('isv.missing-method', '缺少 method（开放平台）或 service（旧版接口）参数'));
  };
  app.get('/gateway.do', gateway);
  app.post('/gateway.do', gateway);

  app.get('/alipay_public_key.pem', async (_request, reply) => send(reply, textReply((await sandbox.keys()).alipayPublicKeyPem)));

  app.get('/cashier', async (request, reply) => {
    const query = request.query as Record<string, string | undefined>;
    return send(reply, await cashierPage(sandbox, query.seller_id ?? '', query.out_trade_no ?? ''));
  });

  app.post('/cashier', async (request, reply) => {
    const form = Object.fromEntries(new URLSearchParams(typeof request.body === 'string' ? request.body : ''));
    const action = form.action;
    if (action !== 'pay' && action !== 'fail' && action !== 'confirm') return send(reply, errorPage('ILLEGAL_ARGUMENT', 'action must be pay, fail or confirm'));
    const trade = await sandbox.load(form.seller_id ?? '', form.out_trade_no ?? '');
    if (!trade) return send(reply, errorPage('TRADE_NOT_EXIST', '交易不存在'));
    if (!(request.headers.accept ?? '').includes('application/json')) return send(reply, await finishAsBuyer(sandbox, trade, action));
    // Tools (paygate's simulate) get the outcome and the first notify attempt as JSON.
    const change = await buyerAct(sandbox, trade, action);
    if (change.refused) return send(reply, { ...jsonReply(JSON.stringify({ error: change.sub_code, message: change.sub_msg })), status: 409 });
    const delivery = change.delivery;
    return send(reply, jsonReply(JSON.stringify({
      trade_status: change.trade.status,
      trade_no: change.trade.trade_no,
      notify: delivery ? { notify_id: delivery.notify_id, state: delivery.state, answer: delivery.attempts[delivery.attempts.length - 1]?.body ?? null } : null,
    })));
  });

  app.get('/qr/:code', async (request, reply) => {
    const { code } = request.params as { code: string };
    return send(reply, await scanQrCode(sandbox, code, wantsInteractive(request)));
  });

  app.get('/', async (_request, reply) => {
    const [trades, deliveries, keys] = options.listTrades
      ? await Promise.all([sandbox.trades.list(), sandbox.notifier.list(), sandbox.keys()])
      : [[], [], await sandbox.keys()];
    return send(reply, htmlReply(indexHtml(sandbox, trades, deliveries, keys.alipayPublicKeyPem)));
  });

  // Before the server stops listening: notifies on the wire may be addressed to this very server.
  app.addHook('preClose', async () => sandbox.close());
}
