/**
 * The v2 transport: sign the fields, POST them as XML, read the answer safely, check that it is
 * signed by the same key and names the same merchant, then separate communication failures
 * (`return_code`) from business declines (`result_code` + `err_code`). Declines are data; an
 * answer that is not what WeChat sends is a thrown `channel_request_failed`.
 */
import type { ChannelContext, ChannelDecline } from '../contract.js';
import { fail } from '../../core/errors.js';
import { newNonce } from './nonce.js';
import type { WechatSettings } from './options.js';
import { missing } from './options.js';
import { signV2, verifyV2, type V2Fields } from './sign-v2.js';
import { buildWechatXml, parseWechatXml, type XmlFields } from './xml.js';

export type V2CallResult = { readonly ok: true; readonly fields: XmlFields } | (ChannelDecline & { readonly fields?: XmlFields });

export function requireApiKey(settings: WechatSettings): string {
  return settings.apiKey ?? missing('api_key', 'for WeChat Pay API v2');
}

/** Adds appid, mch_id, nonce_str, sign_type (for HMAC) and sign to a request's fields. */
export function signedV2Request(settings: WechatSettings, fields: V2Fields, nonce = newNonce()): Record<string, string> {
  const all: Record<string, string> = { appid: settings.appid, mch_id: settings.mchId, nonce_str: nonce };
  for (const [name, value] of Object.entries(fields)) if (value !== undefined && value !== '') all[name] = String(value);
  if (settings.signType !== 'MD5') all.sign_type = settings.signType;
  all.sign = signV2(all, requireApiKey(settings), settings.signType);
  return all;
}

export async function v2Call(
  ctx: ChannelContext,
  settings: WechatSettings,
  path: string,
  fields: V2Fields,
  options: { readonly clientCertificate?: boolean } = {},
): Promise<V2CallResult> {
  const key = requireApiKey(settings);
  const request = signedV2Request(settings, fields);
  let tls: { cert: string; key: string } | undefined;
  if (options.clientCertificate && settings.livemode) {
    // WeChat requires the merchant certificate for v2 refunds; the sandbox (test mode) does not.
    tls = { cert: settings.clientCert ?? missing('client_cert', 'for live v2 refunds (mutual TLS with apiclient_cert.pem)'), key: settings.privateKeyPem ?? missing('private_key', 'with client_cert') };
  }
  const response = await ctx.http.request({
    method: 'POST',
    url: `${settings.gateway}${path}`,
    headers: { 'content-type': 'text/xml; charset=utf-8', accept: 'text/xml' },
    body: buildWechatXml(request),
    tls,
    secretFields: ['sign'],
  });
  if (response.status !== 200) return { ok: false, code: `HTTP_${response.status}`, message: `WeChat Pay answered HTTP ${response.status}` };
  const parsed = parseWechatXml(response.body);
  if (!parsed.ok) fail('channel_request_failed', { message: `WeChat Pay's answer to ${path} is not valid XML: ${parsed.reason}` });
  const answer = parsed.fields;
  if (answer.return_code !== 'SUCCESS') {
    const message = answer.return_msg || 'communication failed';
    // WeChat reports a bad signature at this level ("签名错误"), not as err_code.
    return { ok: false, code: /签名/.test(message) ? 'SIGNERROR' : 'FAIL', message, fields: answer };
  }
  if (!verifyV2(answer, key, [settings.signType])) fail('channel_request_failed', { message: `WeChat Pay's answer to ${path} is not signed with this merchant's API key.` });
  if (answer.appid !== undefined && answer.appid !== settings.appid) fail('channel_request_failed', { message: `WeChat Pay's answer names appid ${answer.appid}, not ${settings.appid}.` });
  if (answer.mch_id !== undefined && answer.mch_id !== settings.mchId) fail('channel_request_failed', { message: `WeChat Pay's answer names mch_id ${answer.mch_id}, not ${settings.mchId}.` });
  if (answer.result_code !== 'SUCCESS') {
    return { ok: false, code: answer.err_code || 'FAIL', message: answer.err_code_des || answer.return_msg || 'WeChat Pay declined', fields: answer };
  }
  return { ok: true, fields: answer };
}
