/**
 * The messages the sandbox sends about a trade, field for field as Alipay sends them: async
 * notifies (form POST to notify_url) and synchronous returns (the buyer's redirect to
 * return_url). Open Platform messages are RSA-signed with the sandbox's Alipay key over all
 * fields but `sign` and `sign_type`; mapi ones are MD5-signed with the partner key. Empty values
 * are never sent.
 */
import { randomBytes, type KeyObject } from 'node:crypto';
import { toMajorString } from '../../core/money.js';
import { formatAlipayTime } from '../../channels/alipay/time.js';
import { md5Sign, signNotify, isRsaSignType } from '../../channels/alipay/sign.js';
import type { NotifyKind, SandboxTrade } from './trade.js';

export interface MessageKeys {
  /** The sandbox's Alipay private key (Open Platform). */
  readonly alipayPrivateKey: KeyObject;
  /** The merchant's MD5 key (mapi). */
  readonly md5Key?: string;
}

const yuan = (fen: number) => toMajorString(fen, 'cny');

export function newNotifyId(nowMs: number): string {
  return `${formatAlipayTime(nowMs).replace(/\D/g, '').slice(0, 8)}${randomBytes(13).toString('hex')}`;
}

/** Fields of a trade every message carries, for its protocol. */
function tradeFields(trade: SandboxTrade): Record<string, string | undefined> {
  const when = (ms: number | undefined) => (ms === undefined ? undefined : formatAlipayTime(ms));
  const common = {
    out_trade_no: trade.out_trade_no,
    trade_no: trade.trade_no,
    trade_status: trade.status,
    subject: trade.subject,
    body: trade.body,
    seller_id: trade.seller_id,
    seller_email: trade.seller_email,
    buyer_id: trade.buyer?.id,
    gmt_create: when(trade.created_at),
    gmt_payment: when(trade.paid_at),
    gmt_close: when(trade.closed_at),
  };
  if (trade.protocol === 'openapi') {
    const paid = trade.paid_at !== undefined;
    return {
      ...common,
      app_id: trade.app_id,
      auth_app_id: trade.app_id,
      charset: 'utf-8',
      version: '1.0',
      buyer_logon_id: trade.buyer?.logon_id,
      total_amount: yuan(trade.total),
      receipt_amount: paid ? yuan(trade.total) : undefined,
      invoice_amount: paid ? yuan(trade.total) : undefined,
      buyer_pay_amount: paid ? yuan(trade.total) : undefined,
      point_amount: paid ? '0.00' : undefined,
      fund_bill_list: paid ? JSON.stringify([{ amount: yuan(trade.total), fundChannel: 'ALIPAYACCOUNT' }]) : undefined,
      passback_params: trade.passback_params,
    };
  }
  return {
    ...common,
    buyer_email: trade.buyer?.email,
    payment_type: '1',
    total_fee: yuan(trade.total),
    price: yuan(trade.total),
    quantity: '1',
    discount: '0.00',
    is_total_fee_adjust: 'N',
    use_coupon: 'N',
    extra_common_param: trade.extra_common_param,
    logistics_type: trade.logistics?.type,
    logistics_fee: trade.logistics?.fee,
    logistics_payment: trade.logistics?.payment,
    gmt_send_goods: when(trade.shipped_at),
  };
}

/** The async notify for a change of the trade, signed. */
export function notifyParams(trade: SandboxTrade, kind: NotifyKind, notifyId: string, nowMs: number, keys: MessageKeys): Record<string, string> {
  const fields: Record<string, string | undefined> = {
    notify_time: formatAlipayTime(nowMs),
    notify_type: 'trade_status_sync',
    notify_id: notifyId,
    ...tradeFields(trade),
  };
  if (kind === 'refund') {
    const last = trade.refunds[trade.refunds.length - 1];
    fields.refund_fee = yuan(trade.refunded);
    fields.gmt_refund = last ? formatAlipayTime(last.at) : undefined;
    fields.out_biz_no = last?.out_request_no;
  }
  return sign(trade, fields, keys);
}

/** The synchronous return the buyer's browser is redirected with, signed. */
export function returnParams(trade: SandboxTrade, nowMs: number, keys: MessageKeys, notifyId: string): Record<string, string> {
  if (trade.protocol === 'openapi') {
    return sign(trade, {
      charset: 'utf-8',
      out_trade_no: trade.out_trade_no,
      method: `${trade.created_by}.return`,
      total_amount: yuan(trade.total),
      trade_no: trade.trade_no,
      auth_app_id: trade.app_id,
      version: '1.0',
      app_id: trade.app_id,
      seller_id: trade.seller_id,
      timestamp: formatAlipayTime(nowMs),
    }, keys);
  }
  return sign(trade, {
    is_success: 'T',
    exterface: trade.created_by,
    notify_id: notifyId,
    notify_time: formatAlipayTime(nowMs),
    notify_type: 'trade_status_sync',
    ...tradeFields(trade),
  }, keys);
}

function sign(trade: SandboxTrade, fields: Record<string, string | undefined>, keys: MessageKeys): Record<string, string> {
  const present: Record<string, string> = {};
  for (const [key, value] of Object.entries(fields)) if (value !== undefined && value !== '') present[key] = value;
  if (trade.protocol === 'openapi') {
    return signNotify(present, keys.alipayPrivateKey, isRsaSignType(trade.sign_type) ? trade.sign_type : 'RSA2');
  }
  if (!keys.md5Key) throw new Error('a mapi message needs the merchant\'s MD5 key');
  return { ...present, sign: md5Sign(present, keys.md5Key), sign_type: 'MD5' };
}
