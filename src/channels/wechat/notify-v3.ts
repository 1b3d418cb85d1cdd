/**
 * v3 notifications, verified in named steps: size-capped JSON; the `Wechatpay-*` signature over
 * the raw body with the platform key (and a timestamp within 5 minutes, which bounds replays);
 * the resource decrypted with the APIv3 key (AES-256-GCM authenticates it too); then the
 * plaintext's `appid`/`mchid` checked against this channel. Payment (`TRANSACTION.SUCCESS`) and
 * refund (`REFUND.*`) notifies both come here.
 */
import type { ChannelContext, NotifyParseResult } from '../contract.js';
import { unixSeconds } from '../../core/clock.js';
import { decryptGcm, type GcmResource } from './aes.js';
import type { WechatSettings } from './options.js';
import { platformKeyFor } from './platform-certs.js';
import { headerOf, verifyV3Response } from './sign-v3.js';
import { parseV3Time } from './time.js';
import { isValidOutRefundNo, isValidOutTradeNo } from './trade-no.js';
import { paymentFactsV3 } from './transformers-v3.js';
import { parseJson } from './transport-v3.js';

export const MAX_JSON_NOTIFY_BYTES = 64 * 1024;

const rejected = (reason: string, chargeId?: string): NotifyParseResult => ({ verified: false, reason, ...(chargeId ? { charge_id: chargeId } : {}) });

type Json = Readonly<Record<string, unknown>>;
const obj = (value: unknown): Json => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {});
const str = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
const amount = (value: unknown): number | undefined => (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : undefined);

export async function parseNotifyV3(ctx: ChannelContext, settings: WechatSettings, headers: Readonly<Record<string, string | undefined>>, rawBody: string): Promise<NotifyParseResult> {
  if (Buffer.byteLength(rawBody, 'utf8') > MAX_JSON_NOTIFY_BYTES) return rejected(`body is larger than ${MAX_JSON_NOTIFY_BYTES} bytes`);
  const envelope = parseJson(rawBody);
  if (!envelope) return rejected('body is not a JSON object');
  if (!settings.apiV3Key) return rejected('the channel has no api_v3_key to decrypt v3 notifies with');

  const platform = await platformKeyFor(ctx, settings, headerOf(headers, 'Wechatpay-Serial'));
  const signature = verifyV3Response({ headers, body: rawBody, publicKey: platform.key, serial: platform.serial, nowSeconds: unixSeconds(ctx.clock.now()) });
  if (!signature.ok) return rejected(signature.reason);

  const resource = obj(envelope.resource);
  const decrypted = decryptGcm(resource as unknown as GcmResource, settings.apiV3Key);
  if (!decrypted.ok) return rejected(decrypted.reason);
  const plain = parseJson(decrypted.plaintext);
  if (!plain) return rejected('decrypted resource is not a JSON object');

  const eventType = str(envelope.event_type) ?? '';
  const claimed = isValidOutTradeNo(plain.out_trade_no) ? (plain.out_trade_no as string) : undefined;
  if (str(plain.mchid) !== settings.mchId) return rejected(`mchid ${String(plain.mchid)} is not this channel's ${settings.mchId}`, claimed);
  if (!claimed) return rejected(`out_trade_no ${String(plain.out_trade_no)} is not a valid order number`);
  const notificationId = str(envelope.id);

  if (eventType.startsWith('REFUND.')) {
    if (!isValidOutRefundNo(plain.out_refund_no)) return rejected(`out_refund_no ${String(plain.out_refund_no)} is not valid`, claimed);
    const amounts = obj(plain.amount);
    const total = amount(amounts.total);
    const refunded = amount(amounts.refund);
    if (total === undefined || refunded === undefined) return rejected('refund amount.total/amount.refund are not amounts in fen', claimed);
    return {
      verified: true,
      charge_id: claimed,
      event: { kind: 'refund', refund_reference: plain.out_refund_no as string, amount: refunded, status: str(plain.refund_status) === 'SUCCESS' ? 'succeeded' : 'failed' },
      amount: total,
      transaction_no: str(plain.transaction_id),
      facts: { refundId: str(plain.refund_id), refundStatus: str(plain.refund_status) },
      notification_id: notificationId,
    };
  }

  if (str(plain.appid) !== settings.appid) return rejected(`appid ${String(plain.appid)} is not this channel's ${settings.appid}`, claimed);
  const total = amount(obj(plain.amount).total);
  if (total === undefined) return rejected('amount.total is not an amount in fen', claimed);
  const paid = eventType === 'TRANSACTION.SUCCESS' && str(plain.trade_state) === 'SUCCESS';
  const successTime = str(plain.success_time);
  return {
    verified: true,
    charge_id: claimed,
    event: paid ? { kind: 'paid' } : { kind: 'pending' },
    amount: total,
    transaction_no: str(plain.transaction_id),
    paid_at: paid && successTime ? parseV3Time(successTime) : undefined,
    facts: paymentFactsV3(plain),
    notification_id: notificationId,
  };
}
