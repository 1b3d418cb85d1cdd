/**
 * What the buyer's side receives per channel code (PRODUCT.md §3, seed 001):
 * - `wx_pub` / `wx_lite`: exactly `{appId, timeStamp, nonceStr, package: "prepay_id=…", signType, paySign}`,
 *   ready for `WeixinJSBridge.invoke('getBrandWCPayRequest', …)` or `wx.requestPayment`;
 *   v2 signs them with the API key (MD5 or HMAC-SHA256), v3 with the merchant RSA key (`RSA`).
 * - `wx_pub_qr`: `{code_url, url}`: WeChat's `code_url` and paygate's hosted page (`url`) showing it as a QR image.
 * - `wx_wap`: the H5 URL, with `redirect_url` back to the result page as WeChat expects.
 */
import { unixSeconds } from '../../core/clock.js';
import { newNonce } from './nonce.js';
import { missing, type WechatSettings } from './options.js';
import { jsapiPaySignV2 } from './sign-v2.js';
import { jsapiPaySignV3 } from './sign-v3.js';

export interface JsapiCredential {
  readonly appId: string;
  readonly timeStamp: string;
  readonly nonceStr: string;
  readonly package: string;
  readonly signType: string;
  readonly paySign: string;
}

export function jsapiCredential(settings: WechatSettings, prepayId: string, nowMs: number, nonce = newNonce()): JsapiCredential {
  const base = { appId: settings.appid, timeStamp: String(unixSeconds(nowMs)), nonceStr: nonce, package: `prepay_id=${prepayId}` };
  if (settings.version === 'v3') {
    const key = settings.privateKey ?? missing('private_key', 'to sign the JSAPI paySign');
    return { ...base, signType: 'RSA', paySign: jsapiPaySignV3(base, key) };
  }
  const apiKey = settings.apiKey ?? missing('api_key', 'to sign the JSAPI paySign');
  return { ...base, signType: settings.signType, paySign: jsapiPaySignV2({ ...base, signType: settings.signType }, apiKey) };
}

/** paygate's hosted page that shows a NATIVE `code_url` as a QR image and follows the charge. */
export function qrPageUrl(baseUrl: string, chargeId: string): string {
  return `${baseUrl}/pay/wechat/qr/${encodeURIComponent(chargeId)}`;
}

/** WeChat sends the H5 buyer back to `redirect_url` (URL-encoded, appended to the H5 URL). */
export function h5RedirectUrl(h5Url: string, returnUrl: string): string {
  return `${h5Url}${h5Url.includes('?') ? '&' : '?'}redirect_url=${encodeURIComponent(returnUrl)}`;
}
