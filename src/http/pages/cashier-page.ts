/**
 * The test channel's interactive cashier (seed 002 TestApi): what is being paid, to whom, how
 * much in yuan, a payment-password field and Pay / Fail buttons. Plain HTML form, no scripts.
 */
import type { CashierView } from '../../engine/test-cashier.js';
import { escapeHtml, label, renderPage } from './layout.js';
import { majorAmount } from './money-text.js';

export function renderCashierPage(view: CashierView, action: string, error?: string): string {
  const { charge } = view;
  const { symbol, major } = majorAmount(charge.amount, charge.currency);
  const body = `<section class="card">
  <div class="summary"><div class="merchant">${label('收款方', 'Pay to')} · ${escapeHtml(view.merchant)}</div>
  <div class="amount" data-amount="${escapeHtml(major)}"><span class="cur">${escapeHtml(symbol)}</span>${escapeHtml(major)}</div>
  <div class="subject">${escapeHtml(charge.subject)}</div></div>
  <dl><dt>${label('商品描述', 'Details')}</dt><dd>${escapeHtml(charge.body)}</dd>
  <dt>${label('订单号', 'Order')}</dt><dd>${escapeHtml(charge.order_no)}</dd>
  ${charge.escrow ? `<dt>${label('交易类型', 'Kind')}</dt><dd>${label('担保交易', 'Escrow')}</dd>` : ''}</dl>
  ${error ? `<div class="error" role="alert">${escapeHtml(error)}</div>` : ''}
  <form method="post" action="${escapeHtml(action)}" autocomplete="off">
    <label class="field" for="password">${label('支付密码', 'Payment password')}</label>
    <input id="password" name="password" type="password" inputmode="numeric" autocomplete="off" maxlength="100" autofocus>
    <p class="hint">${label('测试渠道的支付密码在渠道设置中配置', 'Set in the test channel\'s options')}</p>
    <div class="buttons">
      <button class="pay" type="submit" name="action" value="pay">确认付款 <span class="en">Pay</span></button>
      <button class="fail" type="submit" name="action" value="fail">支付失败 <span class="en">Fail</span></button>
    </div>
  </form>
</section>`;
  return renderPage({ title: `收银台 · ${view.merchant}`, body, testMode: true });
}
