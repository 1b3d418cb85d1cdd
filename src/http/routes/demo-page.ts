/**
 * The `/demo` page: a tiny shop that pays a test charge while a new user watches — the charge is
 * created through the "shop's back end" (`/demo/api/charge`), its status arrives live through
 * `watchChargeStatus` (SSE), and the test cashier opens beside it. It uses only `packages/js`,
 * exactly as a merchant's page would.
 */
import { escapeHtml } from '../pages/layout.js';

const CSS = `
*{box-sizing:border-box}body{margin:0;background:#eef1f6;color:#1f2a37;font:15px/1.5 -apple-system,BlinkMacSystemFont,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC","Segoe UI",Roboto,sans-serif}
header{background:#1677ff;color:#fff;padding:14px 22px;display:flex;gap:10px;align-items:center}
header b{font-size:17px}header .badge{margin-left:auto;background:#ffb020;color:#3b2800;border-radius:999px;padding:2px 10px;font-size:12px;font-weight:600}
main{max-width:980px;margin:24px auto;padding:0 16px;display:grid;grid-template-columns:1fr 1fr;gap:18px}
.card{background:#fff;border-radius:14px;box-shadow:0 6px 24px rgba(20,40,80,.08);padding:20px 22px}
h2{font-size:16px;margin:0 0 12px}.muted{color:#6b7788;font-size:13px}
.product{display:flex;gap:14px;align-items:center;margin:8px 0 16px}.product .pic{width:64px;height:64px;border-radius:12px;background:#fdf0d5;display:grid;place-items:center;font-size:34px}
label{display:block;font-size:13px;color:#5b6b7f;margin:10px 0 4px}input{font:inherit;width:100%;padding:9px 11px;border:1px solid #cfd8e3;border-radius:9px}
button{font:inherit;font-weight:600;font-size:16px;border:0;border-radius:10px;padding:12px;width:100%;margin-top:16px;background:#1677ff;color:#fff;cursor:pointer}button:disabled{background:#9bbcf0;cursor:default}
ol{list-style:none;padding:0;margin:0}ol li{display:flex;gap:10px;align-items:center;padding:8px 0;border-bottom:1px solid #eef1f6}
.dot{width:12px;height:12px;border-radius:50%;background:#cfd8e3}.pending .dot{background:#f0a020}.succeeded .dot{background:#22a06b}.closed .dot{background:#d64545}.created .dot{background:#1677ff}
.when{margin-left:auto;color:#8a96a6;font-size:12px;font-variant-numeric:tabular-nums}
#result{margin-top:14px;padding:12px;border-radius:10px;display:none;font-weight:600}#result.ok{display:block;background:#e8f7ef;color:#17724b}#result.bad{display:block;background:#fff1f0;color:#a8261c}
#cashier{grid-column:1/-1;display:none}#cashier iframe{width:100%;height:460px;border:1px solid #e3e8ef;border-radius:10px}
code{background:#f3f5f9;border-radius:5px;padding:1px 5px;font-size:12px;word-break:break-all}
@media(max-width:760px){main{grid-template-columns:1fr}}
`;

const SCRIPT = `
import { configure, createCharge, watchChargeStatus, fetchPayUrl } from '/demo/sdk/index.js';
configure({ baseUrl: '', createChargeUrl: '/demo/api/charge' });
const $ = (id) => document.getElementById(id);
const labels = { created: '已创建 created', pending: '待支付 pending', secured_paid: '已付款（担保）secured paid', shipped: '已发货 shipped', succeeded: '支付成功 succeeded', closed: '已关闭 closed' };
function step(status) {
  const li = document.createElement('li');
  li.className = status;
  li.dataset.status = status;
  li.innerHTML = '<span class="dot"></span><span></span><span class="when"></span>';
  li.children[1].textContent = labels[status] || status;
  li.children[2].textContent = new Date().toLocaleTimeString();
  $('timeline').append(li);
}
$('pay').addEventListener('click', async () => {
  $('pay').disabled = true;
  $('timeline').replaceChildren();
  $('result').className = '';
  try {
    const charge = await createCharge({ amount: Number($('amount').value), subject: $('subject').value, channel: 'TEST' });
    $('charge').textContent = charge.id;
    watchChargeStatus(charge, (c) => {
      step(c.status);
      if (c.status === 'succeeded') { $('result').className = 'ok'; $('result').textContent = '✓ 支付成功 Paid — the shop would now ship the order.'; $('pay').disabled = false; }
      if (c.status === 'closed') { $('result').className = 'bad'; $('result').textContent = '✗ 支付失败 Not paid (' + (c.failure_msg || 'closed') + ')'; $('pay').disabled = false; }
    });
    const { pay_url } = await fetchPayUrl(charge);
    $('payurl').textContent = pay_url;
    $('cashier').style.display = 'block';
    $('frame').src = pay_url; // test mode: opening the pay URL pays (seed 000)
  } catch (error) {
    $('result').className = 'bad';
    $('result').textContent = error.message;
    $('pay').disabled = false;
  }
});
`;

export function renderDemoPage(): string {
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>paygate demo shop</title><style>${CSS}</style></head>
<body>
<header><b>paygate</b><span>演示商店 Demo shop</span><span class="badge">测试模式 TEST MODE</span></header>
<main>
  <section class="card">
    <h2>1 · 下单 Order</h2>
    <div class="product"><div class="pic">☕</div><div><b>A cup of coffee</b><div class="muted">No money moves: the charge is in test mode.</div></div></div>
    <label for="subject">商品 Subject</label><input id="subject" value="${escapeHtml('Coffee')}">
    <label for="amount">金额（分）Amount (fen)</label><input id="amount" type="number" min="1" value="100">
    <button id="pay">支付 Pay</button>
    <div id="result" role="status"></div>
  </section>
  <section class="card">
    <h2>2 · 实时状态 Live status <span class="muted" id="charge"></span></h2>
    <p class="muted">Pushed by <code>watchChargeStatus</code> (Server-Sent Events) the moment the charge changes; the shop's back end hears the same change as a signed webhook.</p>
    <ol id="timeline"></ol>
  </section>
  <section class="card" id="cashier">
    <h2>3 · 收银台 Cashier</h2>
    <p class="muted">Pay URL <code id="payurl"></code> — opening it pays, as seed 000's test mode does.</p>
    <iframe id="frame" title="paygate test cashier"></iframe>
  </section>
</main>
<script type="module">${SCRIPT}</script>
</body></html>`;
}
