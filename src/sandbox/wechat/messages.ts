/**
 * What the sandbox says about a trade, in WeChat's words: the v3 transaction and refund objects
 * (query answers and notify plaintexts), and the notifies themselves — v2 signed XML, v2 refund
 * XML with an AES-256-ECB `req_info`, v3 envelopes with an AES-256-GCM resource.
 */
import { randomUUID } from 'node:crypto';
import { encryptGcm, encryptReqInfo } from '../../channels/wechat/aes.js';
import { newNonce } from '../../channels/wechat/nonce.js';
import { signV2 } from '../../channels/wechat/sign-v2.js';
import { toV2Time, toV3Time } from '../../channels/wechat/time.js';
import { buildWechatXml } from '../../channels/wechat/xml.js';
import type { SandboxMerchant } from './merchants.js';
import type { SandboxRefund, SandboxTrade } from './trade.js';

const STATE_DESC: Readonly<Record<string, string>> = {
  NOTPAY: '订单未支付', SUCCESS: '支付成功', REFUND: '转入退款', CLOSED: '已关闭', PAYERROR: '支付失败(其他原因，如银行返回失败)',
};

export function tradeStateDesc(trade: SandboxTrade): string {
  return STATE_DESC[trade.state] ?? trade.state;
}

/** v3 transaction object (query answer, TRANSACTION.SUCCESS plaintext). */
export function v3Transaction(trade: SandboxTrade): Record<string, unknown> {
  const paid = trade.paid_at !== undefined;
  return {
    appid: trade.appid,
    mchid: trade.mchid,
    out_trade_no: trade.out_trade_no,
    ...(paid ? { transaction_id: trade.transaction_id } : {}),
    trade_type: trade.trade_type,
    trade_state: trade.state,
    trade_state_desc: tradeStateDesc(trade),
    ...(paid ? { bank_type: 'OTHERS', success_time: toV3Time(trade.paid_at!), payer: { openid: trade.payer_openid } } : {}),
    attach: trade.attach ?? '',
    amount: { total: trade.total, currency: 'CNY', ...(paid ? { payer_total: trade.total, payer_currency: 'CNY' } : {}) },
  };
}

/** v3 refund object (refund answers, REFUND.* plaintext uses a flatter shape: see v3RefundNotifyPlain). */
export function v3Refund(trade: SandboxTrade, refund: SandboxRefund): Record<string, unknown> {
  return {
    refund_id: refund.refund_id,
    out_refund_no: refund.out_refund_no,
    transaction_id: trade.transaction_id,
    out_trade_no: trade.out_trade_no,
    channel: 'ORIGINAL',
    user_received_account: '支付用户零钱',
    ...(refund.success_at ? { success_time: toV3Time(refund.success_at) } : {}),
    create_time: toV3Time(refund.created_at),
    status: refund.status,
    funds_account: 'AVAILABLE',
    amount: {
      total: trade.total, refund: refund.amount, payer_total: trade.total, payer_refund: refund.amount,
      settlement_refund: refund.amount, settlement_total: trade.total, discount_refund: 0, currency: 'CNY',
    },
  };
}

/** The signed v2 payment notify. */
export function v2PaymentNotify(trade: SandboxTrade, merchant: SandboxMerchant): string {
  const fields: Record<string, string> = {
    appid: trade.appid, bank_type: 'OTHERS', cash_fee: String(trade.total), fee_type: 'CNY', is_subscribe: 'N',
    mch_id: trade.mchid, nonce_str: newNonce(), openid: trade.payer_openid ?? '', out_trade_no: trade.out_trade_no,
    result_code: 'SUCCESS', return_code: 'SUCCESS', time_end: toV2Time(trade.paid_at ?? trade.created_at),
    total_fee: String(trade.total), trade_type: trade.trade_type, transaction_id: trade.transaction_id ?? '',
  };
  if (trade.attach) fields.attach = trade.attach;
  const signType = trade.sign_type ?? 'MD5';
  if (signType !== 'MD5') fields.sign_type = signType;
  fields.sign = signV2(fields, merchant.apiKey ?? '', signType);
  return buildWechatXml(fields);
}

/** The v2 refund notify: unsigned, its facts in `req_info` under md5(API key). */
export function v2RefundNotify(trade: SandboxTrade, refund: SandboxRefund, merchant: SandboxMerchant): string {
  const successTime = new Date((refund.success_at ?? refund.created_at) + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
  const inner = buildWechatXml({
    out_refund_no: refund.out_refund_no, out_trade_no: trade.out_trade_no, refund_account: 'REFUND_SOURCE_RECHARGE_FUNDS',
    refund_fee: refund.amount, refund_id: refund.refund_id, refund_recv_accout: '支付用户零钱', refund_request_source: 'API',
    refund_status: refund.status === 'SUCCESS' ? 'SUCCESS' : 'REFUNDCLOSE', settlement_refund_fee: refund.amount,
    settlement_total_fee: trade.total, success_time: successTime, total_fee: trade.total, transaction_id: trade.transaction_id,
  }, 'root');
  return buildWechatXml({ return_code: 'SUCCESS', appid: trade.appid, mch_id: trade.mchid, nonce_str: newNonce(), req_info: encryptReqInfo(inner, merchant.apiKey ?? '') });
}

function v3Envelope(eventType: string, summary: string, originalType: string, plaintext: Record<string, unknown>, apiV3Key: string, now: number): string {
  const nonce = newNonce(12);
  return JSON.stringify({
    id: randomUUID(),
    create_time: toV3Time(now),
    resource_type: 'encrypt-resource',
    event_type: eventType,
    summary,
    resource: { original_type: originalType, algorithm: 'AEAD_AES_256_GCM', ciphertext: encryptGcm(JSON.stringify(plaintext), apiV3Key, nonce, originalType), associated_data: originalType, nonce },
  });
}

export function v3PaymentNotify(trade: SandboxTrade, merchant: SandboxMerchant, now: number): string {
  return v3Envelope('TRANSACTION.SUCCESS', '支付成功', 'transaction', v3Transaction(trade), merchant.apiV3Key ?? '', now);
}

export function v3RefundNotify(trade: SandboxTrade, refund: SandboxRefund, merchant: SandboxMerchant, now: number): string {
  const plain = {
    mchid: trade.mchid, out_trade_no: trade.out_trade_no, transaction_id: trade.transaction_id, out_refund_no: refund.out_refund_no,
    refund_id: refund.refund_id, refund_status: refund.status === 'SUCCESS' ? 'SUCCESS' : 'CLOSED',
    ...(refund.success_at ? { success_time: toV3Time(refund.success_at) } : {}),
    user_received_account: '支付用户零钱',
    amount: { total: trade.total, refund: refund.amount, payer_total: trade.total, payer_refund: refund.amount },
  };
  const success = refund.status === 'SUCCESS';
  return v3Envelope(success ? 'REFUND.SUCCESS' : 'REFUND.CLOSED', success ? '退款成功' : '退款关闭', 'refund', plain, merchant.apiV3Key ?? '', now);
}
