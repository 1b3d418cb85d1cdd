/**
 * The verbs after creation: query (reconcile), close, refund, refund query, and a connection
 * test. Each speaks v2 or v3 as the channel is configured; WeChat's declines come back as data.
 */
import type { ChannelChargeState, ChannelContext, ChannelResult, ChargeView, RefundResult, RefundView } from '../contract.js';
import { v2Call } from './client-v2.js';
import { v3Call } from './client-v3.js';
import { readSettings, requireMerchant, type WechatSettings } from './options.js';
import { V2_PATHS, V3_PATHS } from './protocol.js';
import { readOrderQuery, readRefundQuery, refundFields, refundStatusOf } from './transformers-v2.js';
import { readRefund, readTransaction, refundBody } from './transformers-v3.js';
import { outTradeNoOf } from './trade-no.js';

function settingsOf(ctx: ChannelContext): WechatSettings {
  const settings = readSettings(ctx.channel.options, ctx.channel.livemode);
  requireMerchant(settings);
  return settings;
}

export async function queryWechatCharge(ctx: ChannelContext, charge: ChargeView): Promise<ChannelChargeState> {
  const settings = settingsOf(ctx);
  if (settings.version === 'v3') {
    const result = await v3Call(ctx, settings, 'GET', V3_PATHS.queryByOutTradeNo(outTradeNoOf(charge.id), settings.mchId));
    if (!result.ok) return result.status === 404 ? { ok: true, status: 'not_found' } : result;
    return readTransaction(result.json ?? {});
  }
  const result = await v2Call(ctx, settings, V2_PATHS.orderQuery, { out_trade_no: outTradeNoOf(charge.id) });
  if (!result.ok) return result.code === 'ORDERNOTEXIST' ? { ok: true, status: 'not_found' } : { ok: false, code: result.code, message: result.message };
  return readOrderQuery(result.fields);
}

/** Closing an order WeChat already closed, or never had, is done; a paid one is a decline. */
export async function closeWechatCharge(ctx: ChannelContext, charge: ChargeView): Promise<ChannelResult> {
  const settings = settingsOf(ctx);
  if (settings.version === 'v3') {
    const result = await v3Call(ctx, settings, 'POST', V3_PATHS.close(outTradeNoOf(charge.id)), { mchid: settings.mchId });
    if (result.ok || ['ORDER_CLOSED', 'ORDER_NOT_EXIST', 'ORDERNOTEXIST'].includes(result.code)) return { ok: true };
    return { ok: false, code: result.code, message: result.message };
  }
  const result = await v2Call(ctx, settings, V2_PATHS.closeOrder, { out_trade_no: outTradeNoOf(charge.id) });
  if (result.ok || ['ORDERCLOSED', 'ORDERNOTEXIST'].includes(result.code)) return { ok: true };
  return { ok: false, code: result.code, message: result.message };
}

export async function refundWechatCharge(ctx: ChannelContext, charge: ChargeView, refund: RefundView): Promise<RefundResult> {
  const settings = settingsOf(ctx);
  if (settings.version === 'v3') {
    const result = await v3Call(ctx, settings, 'POST', V3_PATHS.refunds, refundBody(charge, refund, ctx.urls.notify));
    if (!result.ok) return { ok: false, code: result.code, message: result.message };
    return readRefund(result.json ?? {});
  }
  const result = await v2Call(ctx, settings, V2_PATHS.refund, refundFields(charge, refund, ctx.urls.notify), { clientCertificate: true });
  if (!result.ok) return { ok: false, code: result.code, message: result.message };
  // The application is accepted; WeChat settles it asynchronously (notify or refund query).
  const accepted = refundStatusOf('PROCESSING');
  return accepted.ok && result.fields.refund_id ? { ...accepted, transaction_no: result.fields.refund_id } : accepted;
}

export async function queryWechatRefund(ctx: ChannelContext, _charge: ChargeView, refund: RefundView): Promise<RefundResult> {
  const settings = settingsOf(ctx);
  if (settings.version === 'v3') {
    const result = await v3Call(ctx, settings, 'GET', V3_PATHS.refundQuery(refund.id));
    if (!result.ok) return { ok: false, code: result.code, message: result.message };
    return readRefund(result.json ?? {});
  }
  const result = await v2Call(ctx, settings, V2_PATHS.refundQuery, { out_refund_no: refund.id });
  if (!result.ok) return { ok: false, code: result.code, message: result.message };
  return readRefundQuery(result.fields, refund.id);
}

/** Queries an order that cannot exist: "no such order" proves the keys and the signature work. */
export async function testWechatConnection(ctx: ChannelContext): Promise<ChannelResult<{ readonly message: string }>> {
  const settings = settingsOf(ctx);
  const probe = `pgprobe${ctx.clock.now()}`;
  if (settings.version === 'v3') {
    const result = await v3Call(ctx, settings, 'GET', V3_PATHS.queryByOutTradeNo(probe, settings.mchId));
    if (result.ok || result.status === 404) return { ok: true, message: `WeChat Pay v3 at ${settings.gateway} accepted paygate's signature for merchant ${settings.mchId}.` };
    return { ok: false, code: result.code, message: result.message };
  }
  const result = await v2Call(ctx, settings, V2_PATHS.orderQuery, { out_trade_no: probe });
  if (result.ok || result.code === 'ORDERNOTEXIST') return { ok: true, message: `WeChat Pay v2 at ${settings.gateway} accepted paygate's signature for merchant ${settings.mchId}.` };
  return { ok: false, code: result.code, message: result.message };
}
