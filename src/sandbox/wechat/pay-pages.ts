/**
 * The buyer's pages of the sandbox: NATIVE's `code_url` (`/bizpayurl?pr=…`, what scanning the QR
 * opens) and H5's URL (`/checkmweb?prepay_id=…`, then `redirect_url`). In auto mode a plain GET
 * pays, as seed 000's test mode does; in interactive mode (`PAYGATE_SANDBOX_MODE=interactive` or
 * `?interactive=1`) the page offers Pay and Fail. The buyer is the browser's sandbox user.
 * `/` lists recent trades and notifies; `/users/openid` hands out an openid for scripted tests.
 */
import { escapeHtml, html, json, redirect, type SandboxReply, type SandboxRequest } from './http-types.js';
import { sandboxUser } from './mp-api.js';
import { merchantsByAppId } from './merchants.js';
import type { WechatSandbox } from './sandbox.js';
import { failPayment, isRefused, pay, payRefusal, type SandboxTrade } from './trade.js';

function page(title: string, content: string, status = 200, headers: Readonly<Record<string, string>> = {}): SandboxReply {
  return html(`<!doctype html><html lang="zh"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><style>body{font:16px/1.5 sans-serif;max-width:40em;margin:2em auto;padding:0 1em}button{font-size:1em;margin-right:1em}</style></head>
<body><h1>${escapeHtml(title)}</h1>${content}</body></html>`, status, headers);
}

const yuan = (fen: number) => `¥${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;

function orderSummary(trade: SandboxTrade): string {
  return `<p>${escapeHtml(trade.description)}</p><p class="amount">${yuan(trade.total)}</p><p><small>${escapeHtml(trade.out_trade_no)} · ${escapeHtml(trade.trade_type)} · ${escapeHtml(trade.state)}</small></p>`;
}

function interactive(sandbox: WechatSandbox, request: SandboxRequest): boolean {
  return sandbox.mode === 'interactive' || request.query.interactive === '1';
}

function choiceForm(action: string, hidden: Record<string, string>): string {
  const inputs = Object.entries(hidden).map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`).join('');
  return `<form method="post" action="${escapeHtml(action)}">${inputs}<button name="action" value="pay" id="pay">确认支付</button><button name="action" value="fail" id="fail">支付失败</button></form>`;
}

async function settle(sandbox: WechatSandbox, trade: SandboxTrade, request: SandboxRequest, action: 'pay' | 'fail'): Promise<{ ok: true; trade: SandboxTrade; setCookie?: string } | { ok: false; message: string }> {
  const { user, setCookie } = sandboxUser(request);
  const payer = await sandbox.users.openidFor(trade.appid, user);
  const result = await sandbox.change(trade, (current) => (action === 'fail' ? failPayment(current, sandbox.now()) : pay(current, sandbox.now(), payer)));
  if (isRefused(result)) return { ok: false, message: `${result.error}: ${result.message}` };
  return { ok: true, trade: result.trade, setCookie };
}

function form(request: SandboxRequest): URLSearchParams {
  return new URLSearchParams(request.method === 'POST' ? request.rawBody : '');
}

/** NATIVE: opening the `code_url` is scanning the QR code. */
export async function scanPage(sandbox: WechatSandbox, request: SandboxRequest): Promise<SandboxReply> {
  const pr = request.method === 'POST' ? form(request).get('pr') ?? '' : request.query.pr ?? '';
  const trade = pr ? await sandbox.trades.byCodeToken(pr) : undefined;
  if (!trade) return page('二维码已失效', '<p>The sandbox has no NATIVE order for this code.</p>', 404);
  const refused = payRefusal(trade, sandbox.now());
  if (refused) return page(trade.state === 'SUCCESS' || trade.state === 'REFUND' ? '订单已支付' : '无法支付', `${orderSummary(trade)}<p>${escapeHtml(refused.message)}</p>`, 200);
  const action = request.method === 'POST' ? form(request).get('action') : interactive(sandbox, request) ? undefined : 'pay';
  if (action !== 'pay' && action !== 'fail') return page('微信支付（沙箱）', `${orderSummary(trade)}${choiceForm(`${sandbox.baseUrl()}/bizpayurl`, { pr })}`);
  const done = await settle(sandbox, trade, request, action);
  if (!done.ok) return page('支付失败', `<p>${escapeHtml(done.message)}</p>`, 409);
  return page(action === 'pay' ? '支付成功' : '支付失败', orderSummary(done.trade), 200, done.setCookie ? { 'set-cookie': done.setCookie } : {});
}

/** H5 (MWEB): the URL WeChat's H5 cashier would open; afterwards the buyer goes to `redirect_url`. */
export async function h5Page(sandbox: WechatSandbox, request: SandboxRequest): Promise<SandboxReply> {
  const posted = request.method === 'POST' ? form(request) : undefined;
  const prepayId = posted?.get('prepay_id') ?? request.query.prepay_id ?? '';
  const redirectUrl = posted?.get('redirect_url') ?? request.query.redirect_url ?? '';
  const trade = prepayId ? await sandbox.trades.byPrepayId(prepayId) : undefined;
  if (!trade || trade.trade_type !== 'MWEB') return page('商家参数格式有误', '<p>The sandbox has no H5 order for this prepay_id.</p>', 404);
  const refused = payRefusal(trade, sandbox.now());
  if (refused) return page('无法支付', `${orderSummary(trade)}<p>${escapeHtml(refused.message)}</p>`);
  const action = posted ? posted.get('action') : interactive(sandbox, request) ? undefined : 'pay';
  if (action !== 'pay' && action !== 'fail') return page('微信支付（沙箱 H5）', `${orderSummary(trade)}${choiceForm(`${sandbox.baseUrl()}/checkmweb`, { prepay_id: prepayId, redirect_url: redirectUrl })}`);
  const done = await settle(sandbox, trade, request, action);
  if (!done.ok) return page('支付失败', `<p>${escapeHtml(done.message)}</p>`, 409);
  const cookie: Record<string, string> = done.setCookie ? { 'set-cookie': done.setCookie } : {};
  if (/^https?:\/\//.test(redirectUrl)) return redirect(redirectUrl, cookie);
  return page(action === 'pay' ? '支付成功' : '支付失败', orderSummary(done.trade), 200, cookie);
}

/** Sandbox-only helper (not a WeChat API): the openid of a sandbox user under an official account. */
export async function openidTool(sandbox: WechatSandbox, request: SandboxRequest): Promise<SandboxReply> {
  const appid = request.query.appid ?? '';
  if ((await merchantsByAppId(sandbox.merchants, appid)).length === 0) return json({ error: 'unknown appid' }, 404);
  const { user } = sandboxUser(request);
  return json({ appid, user, openid: await sandbox.users.openidFor(appid, user) });
}

export async function indexPage(sandbox: WechatSandbox): Promise<SandboxReply> {
  const trades = (await sandbox.trades.list()).slice(0, 50);
  const notifies = (await sandbox.notifier.list()).slice(-50).reverse();
  const rows = trades.map((t) => `<tr><td>${escapeHtml(t.mchid)}</td><td>${escapeHtml(t.out_trade_no)}</td><td>${escapeHtml(t.version)} ${escapeHtml(t.trade_type)}</td><td>${yuan(t.total)}</td><td>${escapeHtml(t.state)}</td></tr>`).join('');
  const sends = notifies.map((n) => `<tr><td>${escapeHtml(n.trade)}</td><td>${escapeHtml(n.version)} ${escapeHtml(n.kind)}</td><td>${escapeHtml(n.state)}</td><td>${n.attempts.length}</td><td>${escapeHtml(String(n.attempts.at(-1)?.status ?? ''))}</td></tr>`).join('');
  return page('WeChat Pay sandbox', `<p>Mode: ${sandbox.mode}. API v2 at <code>/pay/…</code>, v3 at <code>/v3/…</code>, OAuth at <code>/connect/oauth2/authorize</code>, JS-SDK at <code>/cgi-bin/…</code>, JSAPI bridge at <code>/jsbridge.js</code>.</p>
<h2>Trades</h2><table><tr><th>mch_id</th><th>out_trade_no</th><th>type</th><th>amount</th><th>state</th></tr>${rows}</table>
<h2>Notifies</h2><table><tr><th>trade</th><th>kind</th><th>state</th><th>attempts</th><th>last status</th></tr>${sends}</table>`);
}
