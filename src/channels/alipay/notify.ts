/**
 * Verifying what Alipay sends back, in named steps: read the params (form body of the async
 * notify, query of the buyer's return), verify the signature (RSA2 with `sign` and `sign_type`
 * dropped, or the legacy MD5 rule), check the message is for this merchant (`app_id`, seller),
 * then read what it says. The engine matches the charge and its amount and applies the change.
 */
import type { ChannelContext, InboundRequest, NotifyParseResult } from '../contract.js';
import { formPairs } from '../../core/form-pairs.js';
import { md5Verify, verifyNotify } from './sign.js';
import { readSettings } from './options.js';
import { verifyWithAlipayKey } from './client.js';
import { notifyEventOf, notifyFacts, orderAmountOf, paidAtOf, type Params } from './results.js';

/** Params of a notify (form body) or return (query), refusing repeated keys. */
export function inboundParams(request: InboundRequest): Params | string {
  const params: Record<string, string> = {};
  const queryAt = request.url.indexOf('?');
  const sources = [queryAt === -1 ? '' : request.url.slice(queryAt + 1)];
  if (request.method.toUpperCase() === 'POST') sources.push(request.rawBody);
  for (const source of sources) {
    for (const [key, value] of formPairs(source)) {
      // A repeated key could make the verified content differ from the one acted on.
      if (Object.prototype.hasOwnProperty.call(params, key)) return `parameter ${key} appears twice`;
      params[key] = value;
    }
  }
  return params;
}

export async function parseAlipayMessage(ctx: ChannelContext, request: InboundRequest, source: 'notify' | 'return'): Promise<NotifyParseResult> {
  const read = inboundParams(request);
  if (typeof read === 'string') return { verified: false, reason: read };
  const params = read;
  const chargeId = params.out_trade_no;
  const refuse = (reason: string): NotifyParseResult => ({ verified: false, reason, ...(chargeId ? { charge_id: chargeId } : {}) });
  if (!chargeId) return refuse(`the ${source} has no out_trade_no`);
  if (!params.sign) return refuse(`the ${source} is not signed`);

  const settings = readSettings(ctx.channel.options, ctx.channel.livemode);
  if (params.sign_type === 'MD5') {
    if (!settings.mapi) return refuse('MD5-signed, but the channel has no legacy key (options.key)');
    if (!md5Verify(params, settings.mapi.key)) return refuse('the MD5 signature does not verify with options.key');
    if (params.seller_id !== settings.mapi.sellerId) return refuse(`seller_id ${String(params.seller_id)} is not this channel's seller ${settings.mapi.sellerId}`);
  } else {
    const openApi = settings.openApi;
    if (!openApi) return refuse('RSA-signed, but the channel has no Open Platform credentials (options.app_id)');
    if (!(await verifyWithAlipayKey(ctx, openApi, (key) => verifyNotify(params, key)))) {
      return refuse('the RSA signature does not verify with the Alipay public key');
    }
    if (params.app_id !== openApi.appId) return refuse(`app_id ${String(params.app_id)} is not this channel's app ${openApi.appId}`);
    const seller = typeof ctx.channel.options.seller_id === 'string' ? ctx.channel.options.seller_id : undefined;
    if (seller && params.seller_id !== seller) return refuse(`seller_id ${String(params.seller_id)} is not this channel's seller ${seller}`);
  }

  const amount = orderAmountOf(params);
  if (amount === undefined) return refuse('the order amount (total_amount / total_fee) is not a yuan amount');
  const reading = notifyEventOf(params);
  if ('ignored' in reading) return refuse(reading.ignored);
  const paidAt = paidAtOf(params);
  return {
    verified: true,
    charge_id: chargeId,
    event: reading.event,
    amount,
    ...(params.trade_no ? { transaction_no: params.trade_no } : {}),
    ...(paidAt !== undefined ? { paid_at: paidAt } : {}),
    facts: notifyFacts(params),
    ...(params.notify_id ? { notification_id: params.notify_id } : {}),
  };
}
