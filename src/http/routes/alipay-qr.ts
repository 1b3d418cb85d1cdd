/**
 * paygate's hosted QR page for `alipay_qr` charges, `/pay/alipay/qr/:charge_id` (the
 * credential's `url`): the precreate `qr_code` as a QR image, refreshed until the charge leaves
 * `pending`, then off to the result page. In test mode the page also links the code itself,
 * which is the sandbox's "scan".
 */
import QRCode from 'qrcode';
import type { RoutePlugin } from './index.js';
import { isPaygateError } from '../../core/errors.js';
import { resultView } from '../../engine/result-view.js';
import { escapeHtml, label, renderPage } from '../pages/layout.js';
import { majorAmount } from '../pages/money-text.js';

interface ChargeParams { charge_id: string }

export const alipayQrRoutes: RoutePlugin = async (app, { paygate }) => {
  app.get<{ Params: ChargeParams }>('/pay/alipay/qr/:charge_id', { schema: { hide: true } }, async (request, reply) => {
    const id = request.params.charge_id;
    let view;
    try {
      view = await resultView(paygate.deps, id);
    } catch (error) {
      if (isPaygateError(error) && error.code === 'resource_not_found') return reply.code(404).type('text/plain; charset=utf-8').send('No such charge');
      throw error;
    }
    const { charge } = view;
    const entry = charge.credential.alipay_qr as Record<string, unknown> | undefined;
    const qrCode = typeof entry?.qr_code === 'string' ? entry.qr_code : undefined;
    if (charge.channel !== 'alipay_qr' || !qrCode) return reply.code(404).type('text/plain; charset=utf-8').send('This charge has no Alipay QR code');
    const here = `/pay/alipay/qr/${encodeURIComponent(id)}`;
    if (charge.status !== 'pending' && charge.status !== 'created') return reply.redirect(`/pay/result/${encodeURIComponent(id)}`);
    const svg = await QRCode.toString(qrCode, { type: 'svg', margin: 1, width: 240, errorCorrectionLevel: 'M' });
    const { symbol, major } = majorAmount(charge.amount, charge.currency);
    const scan = charge.livemode ? '' : `<p class="hint"><a id="simulate-scan" href="${escapeHtml(qrCode)}">${label('模拟扫码支付', 'Simulate the scan (test mode)')}</a></p>`;
    const body = `<section class="card"><div class="summary"><div class="merchant">${label('支付宝扫码支付', 'Scan with Alipay')} · ${escapeHtml(view.appName)}</div>
<div class="amount" data-amount="${escapeHtml(major)}"><span class="cur">${escapeHtml(symbol)}</span>${escapeHtml(major)}</div>
<div class="subject">${escapeHtml(charge.subject)}</div></div>
<div class="status" id="qr" data-qr-code="${escapeHtml(qrCode)}">${svg}<p class="hint">${label('请使用支付宝扫一扫', 'Open Alipay and scan the code')}</p>${scan}</div></section>`;
    return reply.type('text/html; charset=utf-8').send(renderPage({ title: `支付宝扫码 · ${view.appName}`, body, testMode: !charge.livemode, refresh: { seconds: 3, url: here } }));
  });
};
