/**
 * paygate's hosted WeChat pages:
 * - `/pay/wechat/qr/:charge_id` (the `wx_pub_qr` credential's `url`): the NATIVE `code_url` as
 *   a QR image, refreshed until the charge leaves `pending`, then off to the result page; in test
 *   mode it also links the code itself, which is the sandbox's "scan".
 * - `/pay/wechat/jsapi/:charge_id`: a page that calls `WeixinJSBridge.invoke('getBrandWCPayRequest', …)`
 *   with the `wx_pub` credential. Inside WeChat the bridge is WeChat's own (the page's directory must
 *   be the official account's payment directory); in test mode the page loads the sandbox's bridge,
 *   which verifies paySign and pays — this is the JSAPI test page the end-to-end tests drive.
 */
import QRCode from 'qrcode';
import type { FastifyReply } from 'fastify';
import type { RoutePlugin } from './index.js';
import type { Paygate } from '../../engine/paygate.js';
import { isPaygateError } from '../../core/errors.js';
import { resultView, type ResultView } from '../../engine/result-view.js';
import { readSettings } from '../../channels/wechat/options.js';
import { escapeHtml, label, renderPage } from '../pages/layout.js';
import { majorAmount } from '../pages/money-text.js';

interface ChargeParams { charge_id: string }
const hidden = { hide: true } as const;

async function viewOf(paygate: Paygate, id: string, reply: FastifyReply): Promise<ResultView | undefined> {
  try {
    return await resultView(paygate.deps, id);
  } catch (error) {
    if (isPaygateError(error) && error.code === 'resource_not_found') {
      void reply.code(404).type('text/plain; charset=utf-8').send('No such charge');
      return undefined;
    }
    throw error;
  }
}

function summary(view: ResultView, title: string): string {
  const { symbol, major } = majorAmount(view.charge.amount, view.charge.currency);
  return `<div class="summary"><div class="merchant">${title} · ${escapeHtml(view.appName)}</div>
<div class="amount" data-amount="${escapeHtml(major)}"><span class="cur">${escapeHtml(symbol)}</span>${escapeHtml(major)}</div>
<div class="subject">${escapeHtml(view.charge.subject)}</div></div>`;
}

/** The sandbox gateway of the channel that collects a test-mode charge (for its bridge script). */
async function sandboxGateway(paygate: Paygate, chargeId: string): Promise<string | undefined> {
  const row = await paygate.deps.database.db.selectFrom('charges').select('paying_channel_id').where('id', '=', chargeId).executeTakeFirst();
  const config = row && (await paygate.channels.configs({ type: 'wechat', livemode: false })).find((c) => c.id === row.paying_channel_id);
  return config ? readSettings(config.options, false).gateway : undefined;
}

const json = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

export const wechatPageRoutes: RoutePlugin = async (app, { paygate }) => {
  app.get<{ Params: ChargeParams }>('/pay/wechat/qr/:charge_id', { schema: hidden }, async (request, reply) => {
    const id = request.params.charge_id;
    const view = await viewOf(paygate, id, reply);
    if (!view) return reply;
    const entry = view.charge.credential.wx_pub_qr as Record<string, unknown> | undefined;
    const codeUrl = typeof entry?.code_url === 'string' ? entry.code_url : undefined;
    if (view.charge.channel !== 'wx_pub_qr' || !codeUrl) return reply.code(404).type('text/plain; charset=utf-8').send('This charge has no WeChat Pay QR code');
    if (view.charge.status !== 'pending' && view.charge.status !== 'created') return reply.redirect(`/pay/result/${encodeURIComponent(id)}`);
    const svg = await QRCode.toString(codeUrl, { type: 'svg', margin: 1, width: 240, errorCorrectionLevel: 'M' });
    const scan = view.charge.livemode ? '' : `<p class="hint"><a id="simulate-scan" href="${escapeHtml(codeUrl)}">${label('模拟扫码支付', 'Simulate the scan (test mode)')}</a></p>`;
    const body = `<section class="card">${summary(view, label('微信扫码支付', 'Scan with WeChat'))}
<div class="status" id="qr" data-code-url="${escapeHtml(codeUrl)}">${svg}<p class="hint">${label('请使用微信扫一扫', 'Open WeChat and scan the code')}</p>${scan}</div></section>`;
    const here = `/pay/wechat/qr/${encodeURIComponent(id)}`;
    return reply.type('text/html; charset=utf-8').send(renderPage({ title: `微信扫码支付 · ${view.appName}`, body, testMode: !view.charge.livemode, refresh: { seconds: 3, url: here } }));
  });

  app.get<{ Params: ChargeParams; Querystring: { auto?: string } }>('/pay/wechat/jsapi/:charge_id', { schema: hidden }, async (request, reply) => {
    const id = request.params.charge_id;
    const view = await viewOf(paygate, id, reply);
    if (!view) return reply;
    const credential = view.charge.credential.wx_pub as Record<string, unknown> | undefined;
    if (view.charge.channel !== 'wx_pub' || !credential) return reply.code(404).type('text/plain; charset=utf-8').send('This charge has no WeChat JSAPI credential');
    const result = `/pay/result/${encodeURIComponent(id)}`;
    if (view.charge.status !== 'pending' && view.charge.status !== 'created') return reply.redirect(result);
    const gateway = view.charge.livemode ? undefined : await sandboxGateway(paygate, id);
    const bridge = gateway ? `<script src="${escapeHtml(gateway)}/jsbridge.js"></script>` : '';
    const body = `<section class="card">${summary(view, label('微信支付', 'WeChat Pay'))}
<form onsubmit="return false"><div class="buttons"><button class="pay" id="pay" type="button">${label('立即支付', 'Pay now')}</button></div>
<p class="hint" id="message"></p></form></section>${bridge}
<script>
(function () {
  var params = ${json(credential)};
  var resultUrl = ${json(result)};
  var auto = ${json(request.query.auto === '1')};
  var message = document.getElementById('message');
  function pay() {
    if (typeof WeixinJSBridge === 'undefined') { message.textContent = '请在微信中打开此页面 · Open this page in WeChat'; return; }
    WeixinJSBridge.invoke('getBrandWCPayRequest', params, function (res) {
      message.textContent = res.err_msg + (res.err_desc ? ' — ' + res.err_desc : '');
      if (res.err_msg === 'get_brand_wcpay_request:ok') location.href = resultUrl;
    });
  }
  document.getElementById('pay').onclick = pay;
  if (auto) {
    if (typeof WeixinJSBridge === 'undefined') document.addEventListener('WeixinJSBridgeReady', pay, false); else pay();
  }
})();
</script>`;
    return reply.type('text/html; charset=utf-8').send(renderPage({ title: `微信支付 · ${view.appName}`, body, testMode: !view.charge.livemode }));
  });
};
