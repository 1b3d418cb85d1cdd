/** The sandbox's HTML: the cashier (Pay / Fail, escrow Confirm), the result page and an index. */
import { toMajorString } from '../../core/money.js';
import { escapeXml as esc } from '../../channels/alipay/mapi-xml.js';
import { formatAlipayTime } from '../../channels/alipay/time.js';
import type { AlipaySandbox } from './sandbox.js';
import type { SandboxTrade } from './trade.js';
import type { NotifyDelivery } from './notifier.js';
import { page } from './replies.js';

const STATUS_WORDS: Readonly<Record<string, string>> = {
  WAIT_BUYER_PAY: '等待付款 · waiting for the buyer',
  TRADE_SUCCESS: '支付成功 · paid',
  TRADE_FINISHED: '交易完成 · finished',
  TRADE_CLOSED: '交易关闭 · closed',
  WAIT_SELLER_SEND_GOODS: '买家已付款，等待卖家发货 · paid into escrow, waiting for shipping',
  WAIT_BUYER_CONFIRM_GOODS: '卖家已发货，等待买家确认收货 · shipped, waiting for the buyer to confirm',
};

function summary(trade: SandboxTrade): string {
  return `<div class="box"><p>${esc(trade.subject)}</p><p class="amount">¥ ${toMajorString(trade.total, 'cny')}</p>
<table><tr><th>商户订单号 out_trade_no</th><td class="code">${esc(trade.out_trade_no)}</td></tr>
<tr><th>支付宝交易号 trade_no</th><td class="code">${esc(trade.trade_no)}</td></tr>
<tr><th>状态 status</th><td id="trade-status" data-status="${trade.status}">${esc(STATUS_WORDS[trade.status] ?? trade.status)}</td></tr></table></div>`;
}

function actionForm(sandbox: AlipaySandbox, trade: SandboxTrade, action: string, label: string, secondary = false): string {
  return `<form method="post" action="${esc(`${sandbox.baseUrl()}/cashier`)}" style="display:inline">
<input type="hidden" name="seller_id" value="${esc(trade.seller_id)}"><input type="hidden" name="out_trade_no" value="${esc(trade.out_trade_no)}">
<input type="hidden" name="action" value="${action}"><button type="submit" id="${action}"${secondary ? ' class="secondary"' : ''}>${label}</button></form>`;
}

export function cashierHtml(sandbox: AlipaySandbox, trade: SandboxTrade): string {
  let actions = '';
  if (trade.status === 'WAIT_BUYER_PAY') {
    actions = actionForm(sandbox, trade, 'pay', '确认付款 Pay') + actionForm(sandbox, trade, 'fail', '放弃付款 Fail', true);
  } else if (trade.status === 'WAIT_BUYER_CONFIRM_GOODS') {
    actions = actionForm(sandbox, trade, 'confirm', '确认收货 Confirm receipt');
  }
  const shipment = trade.shipment ? `<p>物流 ${esc(trade.shipment.logistics_name)} · ${esc(trade.shipment.invoice_no)} (${esc(trade.shipment.transport_type)})</p>` : '';
  return page('收银台', `<h1>支付宝收银台 · Cashier</h1>${summary(trade)}${shipment}<p>${actions}</p>`);
}

export function resultHtml(trade: SandboxTrade, returnUrl: string | undefined): string {
  const back = returnUrl ? `<p><a id="return" href="${esc(returnUrl)}">返回商户 · back to the merchant</a></p>` : '';
  return page('结果', `<h1>支付宝 · ${esc(STATUS_WORDS[trade.status] ?? trade.status)}</h1>${summary(trade)}${back}`);
}

/** A look at recent trades and notifies, for whoever debugs an integration. */
export function indexHtml(sandbox: AlipaySandbox, trades: readonly SandboxTrade[], deliveries: readonly NotifyDelivery[], publicKeyPem: string): string {
  const tradeRows = trades.slice(0, 50).map((t) => `<tr><td><a href="${esc(sandbox.cashierUrl(t))}">${esc(t.out_trade_no)}</a></td><td>${esc(t.product)}</td>
<td>${toMajorString(t.total, 'cny')}</td><td>${esc(t.status)}</td><td>${formatAlipayTime(t.created_at)}</td></tr>`).join('');
  const notifyRows = deliveries.slice(0, 50).map((d) => `<tr><td class="code">${esc(d.notify_id.slice(0, 12))}…</td><td>${esc(d.params.trade_status ?? '')}</td>
<td>${esc(d.state)}</td><td>${d.attempts.length}</td><td>${esc(d.attempts[d.attempts.length - 1]?.body ?? '')}</td></tr>`).join('');
  return page('Sandbox', `<h1>Alipay sandbox</h1><p>Gateway: <span class="code">${esc(sandbox.baseUrl())}/gateway.do</span> · mode ${sandbox.mode}</p>
<details><summary>Alipay public key (configure it as alipay_public_key)</summary><pre>${esc(publicKeyPem)}</pre></details>
<h2>Trades</h2><table><tr><th>out_trade_no</th><th>product</th><th>yuan</th><th>status</th><th>created</th></tr>${tradeRows}</table>
<h2>Notifies</h2><table><tr><th>notify_id</th><th>trade_status</th><th>state</th><th>sends</th><th>last answer</th></tr>${notifyRows}</table>`);
}
