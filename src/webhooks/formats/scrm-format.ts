/**
 * Seed 001's SCRM messages. A charge event becomes the `payment_notification` message
 * (`{type:"msg", channel:{id,name,type,social}, data:{type:"payment_notification", …}}`), a
 * refund event the same message with `type:"refund_notification"` and the refund, and
 * `channel.enabled` the seed's `open_payment` (`{type, account_id, channel_id}`).
 * Channel-specific fields (tradeType, sellerId, buyerId, wechatAppId, prepayId, codeUrl,
 * buyerNickname…) come from the charge's `extension`, which the WeChat and Alipay channels fill.
 */
import { parseJsonObject } from '../../engine/charge-object.js';
import { chargeSnapshot, extensionOf, fact } from './charge-facts.js';
import type { PayloadContext, PayloadFormat } from './types.js';

/** seed 001 `tradeType` by channel code, when the channel did not say. */
const TRADE_TYPES: Readonly<Record<string, string>> = {
  wx_pub: 'JSAPI', wx_lite: 'JSAPI', wx_pub_qr: 'NATIVE', wx_wap: 'MWEB',
  alipay_pc_direct: 'PAGE', alipay_wap: 'WAP', alipay_qr: 'PRECREATE', alipay_direct: 'DIRECT', alipay_escrow: 'ESCROW',
  test: 'TEST',
};

/** WeChat `trade_state` words for paygate's statuses, with WeChat's own descriptions. */
function tradeStatus(status: string, refunded: boolean, failed: boolean): { code: string; desc: string } {
  if (refunded) return { code: 'REFUND', desc: '转入退款' };
  switch (status) {
    case 'succeeded': return { code: 'SUCCESS', desc: '支付成功' };
    case 'secured_paid': case 'shipped': return { code: 'SUCCESS', desc: '支付成功（担保交易，待确认收货）' };
    case 'closed': return failed ? { code: 'PAYERROR', desc: '支付失败' } : { code: 'CLOSED', desc: '已关闭' };
    default: return { code: 'NOTPAY', desc: '未支付' };
  }
}

function channelPart({ channel, charge }: PayloadContext) {
  const social = channel?.type ?? (charge?.channel.startsWith('wx') ? 'wechat' : charge?.channel.startsWith('alipay') ? 'alipay' : 'test');
  return { id: channel?.id ?? charge?.channel_id ?? null, name: channel?.name ?? null, type: 'online', social };
}

function paymentData(context: PayloadContext, messageType: string) {
  const { event, charge } = context;
  const snapshot = event.type.startsWith('charge.') ? chargeSnapshot(event) : undefined;
  if (!charge) return undefined;
  const facts = extensionOf(charge);
  const status = snapshot?.status ?? charge.status;
  const refundedAmount = snapshot?.amount_refunded ?? charge.amount_refunded;
  const closedByFailure = (charge.closed_reason ?? '') === 'failed';
  const state = tradeStatus(status, refundedAmount > 0, closedByFailure);
  const timePaid = charge.time_paid;
  return {
    type: messageType,
    channelType: (context.channel?.type ?? channelPart(context).social).toUpperCase(),
    quncrmAccountId: charge.app_id,
    tradeType: fact(facts, 'tradeType', 'trade_type') ?? TRADE_TYPES[charge.channel] ?? charge.channel.toUpperCase(),
    sellerId: fact(facts, 'sellerId', 'seller_id', 'seller_email') ?? null,
    buyerId: fact(facts, 'buyerId', 'buyer_id', 'openid', 'buyer_logon_id') ?? null,
    spbillCreateIp: charge.client_ip,
    subject: charge.subject,
    detail: charge.body,
    outTradeNo: charge.order_no,
    tradeNo: snapshot?.transaction_no ?? charge.transaction_no ?? fact(facts, 'tradeNo', 'trade_no') ?? null,
    totalFee: charge.amount,
    createTime: charge.created_at,
    timeExpire: charge.time_expire,
    paymentTime: timePaid,
    extension: facts,
    metadata: parseJsonObject(charge.metadata),
    tradeStatus: state.code,
    tradeStateDesc: state.desc,
    failureCode: snapshot?.failure_code ?? charge.failure_code ?? fact(facts, 'failureCode') ?? null,
    failureMsg: snapshot?.failure_msg ?? charge.failure_msg ?? fact(facts, 'failureMsg') ?? null,
  };
}

export const scrmFormat: PayloadFormat = {
  name: 'scrm',
  accepts: (type) => type.startsWith('charge.') || type.startsWith('refund.') || type === 'channel.enabled',
  render(context) {
    const { event } = context;
    if (event.type === 'channel.enabled') {
      return JSON.stringify({ type: 'open_payment', account_id: event.app_id, channel_id: event.channel_id });
    }
    if (event.type.startsWith('charge.')) {
      const data = paymentData(context, 'payment_notification');
      return data && JSON.stringify({ type: 'msg', channel: channelPart(context), data });
    }
    if (event.type.startsWith('refund.')) {
      const data = paymentData(context, 'refund_notification');
      return data && JSON.stringify({ type: 'msg', channel: channelPart(context), data: { ...data, refund: JSON.parse(event.data) as unknown } });
    }
    return undefined;
  },
};
