/**
 * The answer to a notification, in the format of the notification it answers:
 * - v2 (XML): `<xml><return_code>SUCCESS</return_code><return_msg>OK</return_msg></xml>`, or FAIL;
 * - v3 (JSON): `204` with no body, or a 5xx with `{"code":"FAIL","message":"失败"}`.
 * Without the request, the answer is one both versions read correctly: WeChat v3 only looks at
 * the status (2xx = received), WeChat v2 at the XML body, so a 200 with v2 XML serves both.
 */
import type { InboundRequest, OutboundReply } from '../contract.js';
import { headerOf } from './sign-v3.js';
import { buildWechatXml } from './xml.js';

export function isV3Notify(request: Pick<InboundRequest, 'headers' | 'rawBody'>): boolean {
  return headerOf(request.headers, 'Wechatpay-Signature') !== undefined || /^\s*\{/.test(request.rawBody);
}

export function acknowledgeWechatNotify(ok: boolean, request?: Pick<InboundRequest, 'headers' | 'rawBody'>): OutboundReply {
  if (request && isV3Notify(request)) {
    return ok
      ? { status: 204, body: '' }
      : { status: 500, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: 'FAIL', message: '失败' }) };
  }
  const body = buildWechatXml(ok ? { return_code: 'SUCCESS', return_msg: 'OK' } : { return_code: 'FAIL', return_msg: '失败' });
  return { status: ok ? 200 : 500, headers: { 'content-type': 'text/xml; charset=utf-8' }, body };
}
