/**
 * The sandbox's stand-in for WeChat's in-app browser: `jsbridge.js` defines
 * `WeixinJSBridge.invoke('getBrandWCPayRequest', params, cb)` (and fires `WeixinJSBridgeReady`);
 * it posts the six parameters to `/jsapi/pay`, which checks them as WeChat does — the prepay_id
 * is live, `appId` is the order's, `paySign` verifies (v2: API key, MD5 or HMAC-SHA256 over the
 * five fields; v3: `RSA` with the merchant certificate key) — pays as the order's buyer, and the
 * callback gets `get_brand_wcpay_request:ok` (or `:fail` / `:cancel`). `GET /jsapi` is a test page
 * that invokes it with parameters from its query string.
 */
import { jsapiPaySignV2 } from '../../channels/wechat/sign-v2.js';
import { signaturesEqual } from '../../channels/wechat/sign-v2.js';
import { verifyJsapiPaySignV3 } from '../../channels/wechat/sign-v3.js';
import { escapeHtml, html, json, type SandboxReply, type SandboxRequest } from './http-types.js';
import type { WechatSandbox } from './sandbox.js';
import { failPayment, isRefused, pay } from './trade.js';

const OK = 'get_brand_wcpay_request:ok';
const FAIL = 'get_brand_wcpay_request:fail';
const CANCEL = 'get_brand_wcpay_request:cancel';
const CORS = { 'access-control-allow-origin': '*' };

export function bridgeScript(sandbox: WechatSandbox): SandboxReply {
  const base = JSON.stringify(sandbox.baseUrl());
  const interactive = sandbox.mode === 'interactive';
  const body = `/* paygate WeChat Pay sandbox: WeixinJSBridge for getBrandWCPayRequest */
(function () {
  var BASE = ${base};
  var INTERACTIVE = ${interactive};
  function send(params, action, cb) {
    fetch(BASE + '/jsapi/pay', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ params: params, action: action }) })
      .then(function (r) { return r.json(); })
      .then(function (res) { if (cb) cb(res); })
      .catch(function (e) { if (cb) cb({ err_msg: '${FAIL}', err_desc: String(e) }); });
  }
  function ask(params, cb) {
    var box = document.createElement('div');
    box.id = 'wx-sandbox-sheet';
    box.setAttribute('style', 'position:fixed;left:0;right:0;bottom:0;background:#fff;border-top:1px solid #ccc;padding:16px;font:16px sans-serif;z-index:99999');
    box.innerHTML = '<p>微信支付（沙箱）<br><small>' + String(params && params['package']).replace(/[<>&]/g, '') + '</small></p>' +
      '<button id="wx-sandbox-pay">支付</button> <button id="wx-sandbox-fail">失败</button> <button id="wx-sandbox-cancel">取消</button>';
    document.body.appendChild(box);
    function choose(action) { return function () { box.remove(); send(params, action, cb); }; }
    box.querySelector('#wx-sandbox-pay').onclick = choose('pay');
    box.querySelector('#wx-sandbox-fail').onclick = choose('fail');
    box.querySelector('#wx-sandbox-cancel').onclick = choose('cancel');
  }
  function invoke(name, params, cb) {
    if (name !== 'getBrandWCPayRequest') { setTimeout(function () { if (cb) cb({ err_msg: name + ':fail', err_desc: 'the sandbox bridge only knows getBrandWCPayRequest' }); }, 0); return; }
    if (INTERACTIVE) ask(params, cb); else send(params, 'pay', cb);
  }
  window.WeixinJSBridge = { invoke: invoke, on: function () {}, call: function () {} };
  function ready() { document.dispatchEvent(new Event('WeixinJSBridgeReady')); }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', ready); else setTimeout(ready, 0);
})();
`;
  return { status: 200, headers: { 'content-type': 'application/javascript; charset=utf-8', ...CORS }, body };
}

type Params = Record<string, unknown>;
const text = (params: Params, name: string) => (typeof params[name] === 'string' ? (params[name] as string) : undefined);
const answer = (err_msg: string, err_desc?: string) => json(err_desc ? { err_msg, err_desc } : { err_msg }, 200, CORS);

/** Why these parameters would not open WeChat's pay sheet, or the trade they pay. */
export async function jsapiPay(sandbox: WechatSandbox, request: SandboxRequest): Promise<SandboxReply> {
  let input: { params?: Params; action?: string };
  try {
    input = JSON.parse(request.rawBody) as { params?: Params; action?: string };
  } catch {
    return answer(FAIL, 'the request is not JSON');
  }
  const params = input.params ?? {};
  const appId = text(params, 'appId');
  const timeStamp = text(params, 'timeStamp');
  const nonceStr = text(params, 'nonceStr');
  const pkg = text(params, 'package');
  const signType = text(params, 'signType');
  const paySign = text(params, 'paySign');
  if (!appId || !timeStamp || !nonceStr || !pkg || !signType || !paySign) return answer(FAIL, '调用支付JSAPI缺少参数：appId, timeStamp, nonceStr, package, signType, paySign 都必须是字符串');
  if (!/^\d{1,12}$/.test(timeStamp)) return answer(FAIL, 'timeStamp 必须是字符串形式的秒级时间戳');
  if (nonceStr.length > 32) return answer(FAIL, 'nonceStr 不能超过 32 个字符');
  const prepayId = /^prepay_id=(.+)$/.exec(pkg)?.[1];
  if (!prepayId) return answer(FAIL, 'package 必须是 prepay_id=…');
  const trade = await sandbox.trades.byPrepayId(prepayId);
  if (!trade || trade.trade_type !== 'JSAPI') return answer(FAIL, 'prepay_id 无效');
  if (trade.appid !== appId) return answer(FAIL, '支付验证签名失败：appId 与下单的 appid 不一致');
  const merchant = await sandbox.merchantOf(trade);
  if (!merchant) return answer(FAIL, '商户配置已不存在');
  let signed = false;
  if (signType === 'RSA') {
    signed = merchant.publicKey !== undefined && verifyJsapiPaySignV3({ appId, timeStamp, nonceStr, package: pkg }, paySign, merchant.publicKey);
  } else if ((signType === 'MD5' || signType === 'HMAC-SHA256') && merchant.apiKey) {
    signed = signaturesEqual(jsapiPaySignV2({ appId, timeStamp, nonceStr, package: pkg, signType }, merchant.apiKey), paySign);
  }
  if (!signed) return answer(FAIL, '支付验证签名失败');
  if (input.action === 'cancel') return answer(CANCEL);
  const buyer = trade.openid ?? (await sandbox.users.openidFor(trade.appid, 'jsapi-buyer'));
  const result = await sandbox.change(trade, (current) => (input.action === 'fail' ? failPayment(current, sandbox.now()) : pay(current, sandbox.now(), buyer)));
  if (isRefused(result)) return answer(FAIL, `${result.error}: ${result.message}`);
  return input.action === 'fail' ? answer(FAIL, '支付失败（沙箱模拟）') : answer(OK);
}

/** A page that invokes the bridge with the six parameters in its query string. */
export function jsapiTestPage(sandbox: WechatSandbox, request: SandboxRequest): SandboxReply {
  const names = ['appId', 'timeStamp', 'nonceStr', 'package', 'signType', 'paySign'];
  const params = Object.fromEntries(names.map((n) => [n, request.query[n] ?? '']));
  const returnUrl = request.query.return_url ?? '';
  const safeReturn = /^https?:\/\//.test(returnUrl) ? returnUrl : '';
  return html(`<!doctype html><html lang="zh"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>JSAPI 支付测试（沙箱）</title><script src="${escapeHtml(sandbox.baseUrl())}/jsbridge.js"></script></head>
<body><h1>JSAPI 支付测试</h1><pre id="params">${escapeHtml(JSON.stringify(params, null, 2))}</pre>
<button id="pay">发起支付</button><p id="result"></p>
<script>
var params = ${JSON.stringify(params).replace(/</g, '\\u003c')};
var returnUrl = ${JSON.stringify(safeReturn).replace(/</g, '\\u003c')};
function pay() {
  WeixinJSBridge.invoke('getBrandWCPayRequest', params, function (res) {
    document.getElementById('result').textContent = res.err_msg + (res.err_desc ? ' — ' + res.err_desc : '');
    if (res.err_msg === '${OK}' && returnUrl) location.href = returnUrl;
  });
}
document.getElementById('pay').onclick = pay;
</script></body></html>`);
}
