/**
 * `createPayment`: one `unifiedorder` (v2) or `POST /v3/pay/transactions/{jsapi|native|h5}` (v3)
 * per charge, then the credential the buyer's side needs. The WeChat facts worth keeping
 * (trade type, appid, mch_id, prepay_id, code_url …) go into the charge's `extension` for webhooks.
 */
import type { ChannelContext, ChargeView, PaymentCreated } from '../contract.js';
import { fail } from '../../core/errors.js';
import { v2Call } from './client-v2.js';
import { v3Call } from './client-v3.js';
import { h5RedirectUrl, jsapiCredential, qrPageUrl } from './credential.js';
import { readSettings, requireMerchant, type WechatSettings } from './options.js';
import { CODE_SPECS, isWechatCode, V2_PATHS, V3_PATHS, type WechatCode } from './protocol.js';
import { unifiedOrderFields } from './transformers-v2.js';
import { transactionBody } from './transformers-v3.js';

interface Prepared {
  readonly prepayId?: string;
  readonly codeUrl?: string;
  readonly h5Url?: string;
}

export async function createWechatPayment(ctx: ChannelContext, charge: ChargeView): Promise<PaymentCreated> {
  const code = charge.channel;
  if (!isWechatCode(code)) fail('channel_code_unknown', { param: 'channel', message: `The wechat channel does not serve ${code}.` });
  if (charge.currency.toLowerCase() !== 'cny') return { ok: false, code: 'CURRENCY_UNSUPPORTED', message: 'WeChat Pay takes CNY only.' };
  const settings = readSettings(ctx.channel.options, ctx.channel.livemode);
  requireMerchant(settings);
  const prepared = settings.version === 'v3' ? await prepareV3(ctx, settings, charge, code) : await prepareV2(ctx, settings, charge, code);
  if ('ok' in prepared) return prepared;

  const extension = {
    apiVersion: settings.version,
    tradeType: CODE_SPECS[code].v2,
    wechatAppId: settings.appid,
    sellerId: settings.mchId,
    ...(prepared.prepayId ? { prepayId: prepared.prepayId } : {}),
    ...(prepared.codeUrl ? { codeUrl: prepared.codeUrl } : {}),
    ...(prepared.h5Url ? { h5Url: prepared.h5Url } : {}),
  };
  const missingField = (what: string) => fail('channel_request_failed', { message: `WeChat Pay accepted the order but returned no ${what}.` });
  switch (code) {
    case 'wx_pub':
    case 'wx_lite':
      return { ok: true, credential: { ...jsapiCredential(settings, prepared.prepayId ?? missingField('prepay_id'), ctx.clock.now()) }, extension };
    case 'wx_pub_qr':
      return { ok: true, credential: { code_url: prepared.codeUrl ?? missingField('code_url'), url: qrPageUrl(ctx.urls.base, charge.id) }, extension };
    case 'wx_wap':
      return { ok: true, credential: { url: h5RedirectUrl(prepared.h5Url ?? missingField('h5 URL'), charge.return_url ?? ctx.urls.result(charge.id)) }, extension };
  }
}

async function prepareV2(ctx: ChannelContext, settings: WechatSettings, charge: ChargeView, code: WechatCode): Promise<Prepared | PaymentCreated> {
  const result = await v2Call(ctx, settings, V2_PATHS.unifiedOrder, unifiedOrderFields(charge, code, ctx.urls.notify, ctx.urls.base));
  if (!result.ok) return { ok: false, code: result.code, message: result.message };
  return { prepayId: result.fields.prepay_id, codeUrl: result.fields.code_url, h5Url: result.fields.mweb_url };
}

async function prepareV3(ctx: ChannelContext, settings: WechatSettings, charge: ChargeView, code: WechatCode): Promise<Prepared | PaymentCreated> {
  const product = CODE_SPECS[code].v3;
  const body = transactionBody(charge, code, { appid: settings.appid, mchid: settings.mchId }, ctx.urls.notify, ctx.urls.base);
  const result = await v3Call(ctx, settings, 'POST', V3_PATHS.transactions(product), body);
  if (!result.ok) return { ok: false, code: result.code, message: result.message };
  const json = result.json ?? {};
  const text = (name: string) => (typeof json[name] === 'string' ? (json[name] as string) : undefined);
  return { prepayId: text('prepay_id'), codeUrl: text('code_url'), h5Url: text('h5_url') };
}
