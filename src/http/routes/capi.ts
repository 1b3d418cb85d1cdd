/**
 * Seed 000's routes, same field names: `POST /capi/api/v1/charge` creates a charge
 * (`papp` = app, `trade_no` = order number, `channel` + `source` pick the channel code through
 * `capi-channel-map.ts`), and `POST /capi/api/v1/charge/:id/fetch_pay_url` answers `{pay_url}`.
 * paygate needs the channel when the charge is created (it asks the channel for the credential
 * then), so `fetch_pay_url` may repeat the charge's channel but not switch to another one.
 */
import { randomBase62 } from '../../core/ids.js';
import { fail } from '../../core/errors.js';
import type { ChargeObject } from '../../engine/api-types.js';
import type { RoutePlugin } from './index.js';
import { assertOwnApp, chargeScope, requireChargeReader, requireSecretKey, secretScope } from '../auth.js';
import { ERROR_RESPONSES, IdParams } from '../schemas/common.js';
import { CapiCharge, CapiChargeBody, FetchPayUrlBody, PayUrl } from '../schemas/capi.js';
import { CAPI_CHANNEL_MAP, capiChannelCode, capiChannelName, payUrlOf } from './capi-channel-map.js';

const tags = ['seed 000 (capi)'];
const iso = (seconds: number | null): string | null => (seconds === null ? null : new Date(seconds * 1000).toISOString());

/** A charge in seed 000's words. */
export function toCapiCharge(charge: ChargeObject, base: string) {
  return {
    id: charge.id, object: 'charge' as const, subject: charge.subject, body: charge.body, amount: charge.amount, currency: charge.currency,
    trade_no: charge.order_no, channel: capiChannelName(charge.channel),
    source: CAPI_CHANNEL_MAP.find((r) => r.code === charge.channel)?.source ?? null,
    papp: charge.app, livemode: charge.livemode, paid: charge.paid, paid_time: iso(charge.time_paid), status: charge.status,
    created: iso(charge.created) ?? '', client_ip: charge.client_ip, return_url: charge.return_url, notify_url: charge.notify_url,
    pay_url: payUrlOf(charge.credential, charge.channel, { base, id: charge.id }) ?? null,
    ...(charge.client_secret ? { client_secret: charge.client_secret } : {}),
    data: { trade_no: charge.transaction_no, buyer_email: '', seller_id: '' },
  };
}

export const capiRoutes: RoutePlugin = async (app, { paygate }) => {
  app.post<{ Body: CapiChargeBody }>('/capi/api/v1/charge', {
    onRequest: requireSecretKey(paygate),
    schema: { tags, summary: '创建交易 Create a charge (seed 000)', body: CapiChargeBody, response: { 200: CapiCharge, ...ERROR_RESPONSES } },
  }, async (request) => {
    const scope = secretScope(request);
    const body = request.body;
    assertOwnApp(scope, body.papp, 'papp');
    if (body.livemode !== undefined && body.livemode !== scope.livemode) {
      fail('livemode_mismatch', { param: 'livemode', message: `livemode is ${String(body.livemode)} but the key is a ${scope.livemode ? 'live' : 'test'} key.` });
    }
    const channel = capiChannelCode(body.channel, body.source);
    const charge = await paygate.charges.create(scope, {
      order_no: body.trade_no ?? `capi_${randomBase62(20)}`,
      channel,
      ...(body.openid ? { extra: { open_id: body.openid } } : {}),
      amount: body.amount,
      currency: body.currency ?? 'cny',
      client_ip: body.client_ip || request.ip,
      subject: body.subject,
      body: body.body || body.subject,
      ...(body.return_url ? { return_url: body.return_url } : {}),
      ...(body.notify_url ? { notify_url: body.notify_url } : {}),
    });
    return toCapiCharge(charge, paygate.publicUrl);
  });

  app.post<{ Params: IdParams; Body: FetchPayUrlBody }>('/capi/api/v1/charge/:id/fetch_pay_url', {
    onRequest: requireChargeReader(paygate),
    config: { browser: true },
    schema: { tags, summary: '获取支付跳转 URL Fetch the pay URL (seed 000)', params: IdParams, body: FetchPayUrlBody, response: { 200: PayUrl, ...ERROR_RESPONSES } },
  }, async (request) => {
    const id = request.params.id;
    const charge = await paygate.charges.retrieve(chargeScope(request, id), id);
    if (request.body.channel) {
      const source = request.body.source ?? CAPI_CHANNEL_MAP.find((r) => r.code === charge.channel)?.source ?? undefined;
      const code = capiChannelCode(request.body.channel, source);
      if (code !== charge.channel) {
        fail('parameter_invalid', { param: 'channel', message: `Charge ${id} was created for ${capiChannelName(charge.channel)} (${charge.channel}); create a new charge to pay with ${request.body.channel.toUpperCase()} (${code}).` });
      }
    }
    if (charge.status !== 'pending') fail('charge_state_invalid', { message: `Charge ${id} is ${charge.status}; only a pending charge can be paid.` });
    const payUrl = payUrlOf(charge.credential, charge.channel, { base: paygate.publicUrl, id });
    if (!payUrl) fail('operation_not_supported', { param: 'channel', message: `${charge.channel} pays without a URL (see the charge's credential).` });
    return { pay_url: payUrl };
  });
};
