/**
 * v2 notifications, verified in named steps: read the XML safely (no entities, size-capped),
 * then either
 * - a payment notify: check `sign` with the API key, `return_code`, and that `appid`/`mch_id`
 *   are this channel's; or
 * - a refund notify (it has `req_info` and no `sign`): check `appid`/`mch_id`, and decrypt
 *   `req_info` with md5(API key) — only WeChat (or someone holding the key) can produce it.
 * The engine then matches `out_trade_no` and `total_fee` against the charge.
 */
import type { NotifyParseResult } from '../contract.js';
import { decryptReqInfo } from './aes.js';
import type { WechatSettings } from './options.js';
import { paymentFactsV2 } from './transformers-v2.js';
import { parseV2Time } from './time.js';
import { isValidOutRefundNo, isValidOutTradeNo } from './trade-no.js';
import { verifyV2 } from './sign-v2.js';
import { parseWechatXml, type XmlFields } from './xml.js';

const rejected = (reason: string, chargeId?: string): NotifyParseResult => ({ verified: false, reason, ...(chargeId ? { charge_id: chargeId } : {}) });

function fen(text: string | undefined): number | undefined {
  return text !== undefined && /^\d{1,12}$/.test(text) ? Number(text) : undefined;
}

export function parseNotifyV2(settings: WechatSettings, rawBody: string): NotifyParseResult {
  const parsed = parseWechatXml(rawBody);
  if (!parsed.ok) return rejected(parsed.reason);
  const fields = parsed.fields;
  const claimed = isValidOutTradeNo(fields.out_trade_no) ? fields.out_trade_no : undefined;
  if (!settings.apiKey) return rejected('the channel has no api_key to verify v2 notifies with', claimed);
  if (fields.return_code !== 'SUCCESS') return rejected(`return_code is ${fields.return_code ?? 'missing'}: ${fields.return_msg ?? ''}`, claimed);
  if (fields.appid !== settings.appid) return rejected(`appid ${fields.appid ?? '(none)'} is not this channel's ${settings.appid}`, claimed);
  if (fields.mch_id !== settings.mchId) return rejected(`mch_id ${fields.mch_id ?? '(none)'} is not this channel's ${settings.mchId}`, claimed);
  if (fields.req_info !== undefined) return parseRefundNotify(settings.apiKey, fields);

  if (!verifyV2(fields, settings.apiKey)) return rejected('sign does not verify with the API key', claimed);
  if (!claimed) return rejected(`out_trade_no ${fields.out_trade_no ?? '(none)'} is not a valid order number`);
  const amount = fen(fields.total_fee);
  if (amount === undefined) return rejected(`total_fee ${fields.total_fee ?? '(none)'} is not an amount in fen`, claimed);
  const paid = fields.result_code === 'SUCCESS';
  return {
    verified: true,
    charge_id: claimed,
    event: paid ? { kind: 'paid' } : { kind: 'pending' },
    amount,
    transaction_no: fields.transaction_id || undefined,
    paid_at: paid && fields.time_end ? parseV2Time(fields.time_end) : undefined,
    facts: paymentFactsV2({ ...fields, trade_state: paid ? 'SUCCESS' : 'PAYERROR' }),
    notification_id: fields.transaction_id ? `${fields.transaction_id}/${fields.nonce_str ?? ''}` : fields.nonce_str,
  };
}

function parseRefundNotify(apiKey: string, fields: XmlFields): NotifyParseResult {
  const decrypted = decryptReqInfo(fields.req_info ?? '', apiKey);
  if (!decrypted.ok) return rejected(`refund notify: ${decrypted.reason}`);
  const inner = parseWechatXml(decrypted.plaintext, 'root');
  if (!inner.ok) return rejected(`refund notify req_info: ${inner.reason}`);
  const info = inner.fields;
  const claimed = isValidOutTradeNo(info.out_trade_no) ? info.out_trade_no : undefined;
  if (!claimed) return rejected(`refund notify out_trade_no ${info.out_trade_no ?? '(none)'} is not valid`);
  if (!isValidOutRefundNo(info.out_refund_no)) return rejected(`refund notify out_refund_no ${info.out_refund_no ?? '(none)'} is not valid`, claimed);
  const total = fen(info.total_fee);
  const refunded = fen(info.refund_fee);
  if (total === undefined || refunded === undefined) return rejected('refund notify total_fee/refund_fee are not amounts in fen', claimed);
  return {
    verified: true,
    charge_id: claimed,
    event: { kind: 'refund', refund_reference: info.out_refund_no, amount: refunded, status: info.refund_status === 'SUCCESS' ? 'succeeded' : 'failed' },
    amount: total,
    transaction_no: info.transaction_id || undefined,
    facts: { refundId: info.refund_id, refundStatus: info.refund_status, refundRecvAccout: info.refund_recv_accout },
    notification_id: info.refund_id,
  };
}
