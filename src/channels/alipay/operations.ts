/**
 * The server-to-server verbs: query, close, refund, refund query, ship (escrow) and the
 * connection test. Each picks the protocol the charge was made with: Open Platform when the
 * channel has it (alipay.trade.* also serves trades made through mapi), legacy mapi otherwise.
 */
import { randomBytes } from 'node:crypto';
import type { ChannelChargeState, ChannelContext, ChannelResult, ChargeView, RefundResult, RefundView, ShipmentView } from '../contract.js';
import { METHODS } from './protocol.js';
import { readSettings, requireMapi, requireOpenApi, type AlipaySettings } from './options.js';
import { closeBizContent, queryBizContent, refundBizContent, refundQueryBizContent, sendGoodsParams, singleTradeQueryParams } from './transformers.js';
import { execMapi, execOpenApi } from './client.js';
import { chargeStateOf, declineOf, isSuccess, isTradeNotFound, refundQueryResultOf, refundResultOf } from './results.js';

const LEGACY_CODES = new Set(['alipay_direct', 'alipay_escrow']);

/** Legacy codes use mapi when the channel has it; the others use Open Platform when it has it. */
function usesMapi(settings: AlipaySettings, charge: Pick<ChargeView, 'channel'>): boolean {
  if (!settings.mapi) return false;
  return LEGACY_CODES.has(charge.channel) || !settings.openApi;
}

export async function queryCharge(ctx: ChannelContext, charge: ChargeView): Promise<ChannelChargeState> {
  const settings = readSettings(ctx.channel.options, ctx.channel.livemode);
  const escrow = charge.channel === 'alipay_escrow';
  if (usesMapi(settings, charge)) {
    const mapi = requireMapi(settings, 'Querying');
    const reply = await execMapi(ctx, mapi, singleTradeQueryParams(mapi.partner, charge.id));
    if (!reply.isSuccess) {
      return reply.error === 'TRADE_NOT_EXIST' ? { ok: true, status: 'not_found' } : { ok: false, code: reply.error ?? 'unknown', message: 'single_trade_query failed' };
    }
    return chargeStateOf({ code: '10000', ...reply.fields }, escrow);
  }
  const body = await execOpenApi(ctx, requireOpenApi(settings, 'Querying'), { method: METHODS.query, bizContent: queryBizContent(charge) });
  return chargeStateOf(body, escrow);
}

export async function closeCharge(ctx: ChannelContext, charge: ChargeView): Promise<ChannelResult> {
  const settings = readSettings(ctx.channel.options, ctx.channel.livemode);
  if (usesMapi(settings, charge)) {
    const mapi = requireMapi(settings, 'Closing');
    const reply = await execMapi(ctx, mapi, { service: 'close_trade', partner: mapi.partner, _input_charset: 'utf-8', out_order_no: charge.id });
    if (reply.isSuccess || reply.error === 'TRADE_NOT_EXIST') return { ok: true };
    return { ok: false, code: reply.error ?? 'unknown', message: 'close_trade failed' };
  }
  const body = await execOpenApi(ctx, requireOpenApi(settings, 'Closing'), { method: METHODS.close, bizContent: closeBizContent(charge) });
  if (isSuccess(body)) return { ok: true };
  // A page-pay trade exists at Alipay only once the buyer opened the cashier: nothing to close.
  if (isTradeNotFound(body)) {
    ctx.log('Alipay has no trade for this charge yet (the buyer never opened the cashier); nothing to close there');
    return { ok: true };
  }
  return declineOf(body);
}

export async function refundCharge(ctx: ChannelContext, charge: ChargeView, refund: RefundView): Promise<RefundResult> {
  const settings = readSettings(ctx.channel.options, ctx.channel.livemode);
  const openApi = requireOpenApi(settings, 'Refunds (alipay.trade.refund, which also refunds legacy trades)');
  const body = await execOpenApi(ctx, openApi, { method: METHODS.refund, bizContent: refundBizContent(charge, refund) });
  // 20000 / ACQ.SYSTEM_ERROR: Alipay did not say; the same out_request_no is safe to ask again.
  if (body.code === '20000' || body.sub_code === 'ACQ.SYSTEM_ERROR') return { ok: true, status: 'pending' };
  const result = refundResultOf(body);
  if (result.ok && result.status === 'pending') return queryRefund(ctx, charge, refund);
  return result;
}

export async function queryRefund(ctx: ChannelContext, charge: ChargeView, refund: RefundView): Promise<RefundResult> {
  const settings = readSettings(ctx.channel.options, ctx.channel.livemode);
  const body = await execOpenApi(ctx, requireOpenApi(settings, 'Refund queries'), { method: METHODS.refundQuery, bizContent: refundQueryBizContent(charge, refund) });
  return refundQueryResultOf(body, refund.amount);
}

export async function shipCharge(ctx: ChannelContext, charge: ChargeView, shipment: ShipmentView): Promise<ChannelResult<{ readonly confirmed?: boolean }>> {
  const settings = readSettings(ctx.channel.options, ctx.channel.livemode);
  const mapi = requireMapi(settings, 'Shipping (send_goods_confirm_by_platform)');
  if (!charge.transaction_no) return { ok: false, code: 'trade_no_unknown', message: 'Alipay\'s trade_no of this charge is not known yet; wait for the payment notify.' };
  const reply = await execMapi(ctx, mapi, sendGoodsParams(mapi.partner, charge.transaction_no, shipment));
  if (!reply.isSuccess) return { ok: false, code: reply.error ?? 'unknown', message: 'send_goods_confirm_by_platform refused the shipment' };
  const status = reply.fields.trade_status;
  return { ok: true, confirmed: status === 'TRADE_FINISHED' };
}

/** Queries a trade that cannot exist: a signed "not found" proves keys and gateway work. */
export async function testAlipayConnection(ctx: ChannelContext): Promise<ChannelResult<{ readonly message: string }>> {
  const settings = readSettings(ctx.channel.options, ctx.channel.livemode);
  const probe = `paygate_probe_${randomBytes(6).toString('hex')}`;
  const checked: string[] = [];
  if (settings.openApi) {
    const body = await execOpenApi(ctx, settings.openApi, { method: METHODS.query, bizContent: { out_trade_no: probe } });
    if (!isTradeNotFound(body) && !isSuccess(body)) return declineOf(body);
    checked.push('Open Platform keys verified (signed answer to a probe query)');
  }
  if (settings.mapi) {
    const reply = await execMapi(ctx, settings.mapi, singleTradeQueryParams(settings.mapi.partner, probe));
    if (!reply.isSuccess && reply.error !== 'TRADE_NOT_EXIST') return { ok: false, code: reply.error ?? 'unknown', message: 'the legacy gateway refused the MD5-signed probe' };
    checked.push('legacy MD5 key accepted');
  }
  return { ok: true, message: checked.join('; ') };
}
