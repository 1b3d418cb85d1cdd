/**
 * The buyer's result page (seed 002 GetResultUrl): the charge's state in words, the transaction
 * type's own fragment, and — once the outcome is known — a redirect to the app's `return_url`
 * after a few seconds. While the outcome is still unknown the page refreshes itself.
 */
import type { ResultView } from '../../engine/result-view.js';
import { escapeHtml, label, renderPage } from './layout.js';
import { majorAmount } from './money-text.js';

/** Seconds before the buyer is sent on (or the page looks again). */
export const RESULT_REDIRECT_SECONDS = 3;

const STATES: Readonly<Record<string, { tone: 'ok' | 'wait' | 'bad'; icon: string; zh: string; en: string }>> = {
  succeeded: { tone: 'ok', icon: '✓', zh: '支付成功', en: 'Payment succeeded' },
  secured_paid: { tone: 'ok', icon: '✓', zh: '已付款，等待卖家发货', en: 'Paid (escrow), waiting for shipment' },
  shipped: { tone: 'ok', icon: '✓', zh: '卖家已发货，等待确认收货', en: 'Shipped, waiting for the buyer to confirm' },
  pending: { tone: 'wait', icon: '…', zh: '等待支付结果', en: 'Waiting for the payment result' },
  created: { tone: 'wait', icon: '…', zh: '等待支付结果', en: 'Waiting for the payment result' },
  closed: { tone: 'bad', icon: '✕', zh: '支付未完成，交易已关闭', en: 'Not paid: the payment is closed' },
};

export function renderResultPage(view: ResultView, selfUrl: string): string {
  const { charge } = view;
  const state = STATES[charge.status] ?? STATES.pending!;
  const { symbol, major } = majorAmount(charge.amount, charge.currency);
  const waiting = state.tone === 'wait';
  const refresh = waiting
    ? { seconds: RESULT_REDIRECT_SECONDS, url: selfUrl }
    : view.redirect ? { seconds: RESULT_REDIRECT_SECONDS, url: view.redirect } : undefined;
  const failure = charge.status === 'closed' && charge.failure_msg ? `<p class="hint">${escapeHtml(charge.failure_msg)}</p>` : '';
  const next = waiting
    ? `<div class="next">${label('页面将自动刷新', 'This page refreshes itself')}</div>`
    : view.redirect
      ? `<div class="next">${label(`${RESULT_REDIRECT_SECONDS} 秒后返回商户`, `Returning to the merchant in ${RESULT_REDIRECT_SECONDS} seconds`)} · <a href="${escapeHtml(view.redirect)}">${label('立即返回', 'Go now')}</a></div>`
      : '';
  const body = `<section class="card ${state.tone}" data-status="${escapeHtml(charge.status)}">
  <div class="status"><div class="icon">${state.icon}</div><h1>${label(state.zh, state.en)}</h1>${failure}</div>
  <div class="summary"><div class="merchant">${escapeHtml(view.appName)}</div>
  <div class="amount"><span class="cur">${escapeHtml(symbol)}</span>${escapeHtml(major)}</div>
  <div class="subject">${escapeHtml(charge.subject)}</div></div>
  <dl><dt>${label('订单号', 'Order')}</dt><dd>${escapeHtml(charge.order_no)}</dd>
  <dt>${label('交易号', 'Charge')}</dt><dd>${escapeHtml(charge.id)}</dd>
  ${charge.transaction_no ? `<dt>${label('流水号', 'Transaction')}</dt><dd>${escapeHtml(charge.transaction_no)}</dd>` : ''}</dl>
  ${view.fragment ? `<div class="fragment">${view.fragment}</div>` : ''}
  ${next}
</section>`;
  return renderPage({ title: `${state.zh} · ${state.en}`, body, testMode: !charge.livemode, refresh });
}
