/**
 * createPayment per channel code. Open Platform page/wap pay and legacy mapi pay are page
 * flows: the credential is a signed GET URL to the gateway (plus the params, for an
 * auto-submit form). Precreate is a server call whose `qr_code` the buyer scans.
 *
 * `alipay_pc_direct` and `alipay_wap` use Open Platform when the channel has it and fall back to
 * the legacy services otherwise, so seed 000's `channel: "ALIPAY"` works with either setup.
 */
import type { ChannelContext, ChargeView, PaymentCreated } from '../contract.js';
import { fail } from '../../core/errors.js';
import { METHODS, SERVICES, ALIPAY_CURRENCY, type AlipayCode } from './protocol.js';
import { readSettings, requireMapi, requireOpenApi, type AlipaySettings, type MapiSettings, type OpenApiSettings } from './options.js';
import { mapiPayParams, tradeBizContent } from './transformers.js';
import { execOpenApi, gatewayUrl, signedMapiParams, signedOpenApiParams } from './client.js';
import { declineOf, isSuccess } from './results.js';

/** Where paygate shows a QR code for the buyer to scan (served by routes/alipay-qr.ts). */
export function hostedQrUrl(ctx: ChannelContext, chargeId: string): string {
  return `${ctx.urls.base}/pay/alipay/qr/${chargeId}`;
}

export async function createAlipayPayment(ctx: ChannelContext, charge: ChargeView): Promise<PaymentCreated> {
  if (charge.currency.toLowerCase() !== ALIPAY_CURRENCY) {
    fail('currency_unsupported', { param: 'currency', message: `Alipay takes CNY only; this charge is in ${charge.currency}.` });
  }
  const settings = readSettings(ctx.channel.options, ctx.channel.livemode);
  const code = charge.channel as AlipayCode;
  switch (code) {
    case 'alipay_pc_direct':
      return settings.openApi ? pagePay(ctx, charge, settings.openApi, METHODS.pagePay) : mapiPay(ctx, charge, requireMapiOrOpen(settings, code), SERVICES.directPay);
    case 'alipay_wap':
      return settings.openApi ? pagePay(ctx, charge, settings.openApi, METHODS.wapPay) : mapiPay(ctx, charge, requireMapiOrOpen(settings, code), SERVICES.wapDirectPay);
    case 'alipay_qr':
      return precreate(ctx, charge, requireOpenApi(settings, 'alipay_qr (precreate)'));
    case 'alipay_direct':
      return mapiPay(ctx, charge, requireMapi(settings, 'alipay_direct (create_direct_pay_by_user)'), SERVICES.directPay);
    case 'alipay_escrow':
      return mapiPay(ctx, charge, requireMapi(settings, 'alipay_escrow (create_partner_trade_by_buyer)'), SERVICES.escrowPay);
    default:
      return fail('channel_code_unknown', { param: 'channel', message: `The alipay channel does not serve ${String(code)}.` });
  }
}

function requireMapiOrOpen(settings: AlipaySettings, code: string): MapiSettings {
  if (!settings.mapi) fail('channel_options_invalid', { param: 'options.app_id', message: `${code} needs Open Platform (app_id, private_key) or legacy (partner, key) credentials.` });
  return settings.mapi;
}

function pagePay(ctx: ChannelContext, charge: ChargeView, settings: OpenApiSettings, method: typeof METHODS.pagePay | typeof METHODS.wapPay): PaymentCreated {
  const params = signedOpenApiParams(ctx, settings, {
    method,
    bizContent: tradeBizContent(charge, method, ctx.urls.result(charge.id)),
    notifyUrl: ctx.urls.notify,
    returnUrl: ctx.urls.return,
  });
  return {
    ok: true,
    credential: { url: gatewayUrl(settings.gateway, params), channel_url: settings.gateway, method: 'GET', params },
    extension: { alipay_method: method, alipay_app_id: settings.appId },
  };
}

async function precreate(ctx: ChannelContext, charge: ChargeView, settings: OpenApiSettings): Promise<PaymentCreated> {
  const body = await execOpenApi(ctx, settings, {
    method: METHODS.precreate,
    bizContent: tradeBizContent(charge, METHODS.precreate),
    notifyUrl: ctx.urls.notify,
  });
  if (!isSuccess(body)) return declineOf(body);
  const qrCode = body.qr_code;
  if (typeof qrCode !== 'string' || qrCode === '') return { ok: false, code: 'unexpected_response', message: 'alipay.trade.precreate answered 10000 without a qr_code' };
  return {
    ok: true,
    credential: { qr_code: qrCode, url: hostedQrUrl(ctx, charge.id) },
    extension: { alipay_method: METHODS.precreate, alipay_app_id: settings.appId, qr_code: qrCode },
  };
}

function mapiPay(ctx: ChannelContext, charge: ChargeView, settings: MapiSettings, service: string): PaymentCreated {
  const params = signedMapiParams(settings, mapiPayParams(charge, service, {
    partner: settings.partner,
    sellerId: settings.sellerId,
    sellerEmail: settings.sellerEmail,
    notifyUrl: ctx.urls.notify,
    returnUrl: ctx.urls.return,
    nowMs: ctx.clock.now(),
    code: charge.channel,
  }));
  return {
    ok: true,
    credential: { url: gatewayUrl(settings.gateway, params), channel_url: settings.gateway, method: 'GET', params },
    extension: { alipay_service: service, alipay_partner: settings.partner },
  };
}
