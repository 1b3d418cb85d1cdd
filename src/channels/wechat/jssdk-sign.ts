/**
 * The JS-SDK `wx.config` signature (protocol-facts §E): sha1, lower-case hex, over
 * `jsapi_ticket=…&noncestr=…&timestamp=…&url=…` (keys sorted, raw values, the page URL without
 * its `#fragment`).
 */
import { createHash } from 'node:crypto';

export interface JssdkSignInput {
  readonly jsapi_ticket: string;
  readonly noncestr: string;
  readonly timestamp: string | number;
  readonly url: string;
}

/** The page URL as the signature sees it: everything before the first `#`. */
export function jssdkUrl(url: string): string {
  const hash = url.indexOf('#');
  return hash < 0 ? url : url.slice(0, hash);
}

export function jssdkSignContent(input: JssdkSignInput): string {
  return `jsapi_ticket=${input.jsapi_ticket}&noncestr=${input.noncestr}&timestamp=${input.timestamp}&url=${jssdkUrl(input.url)}`;
}

export function jssdkSignature(input: JssdkSignInput): string {
  return createHash('sha1').update(jssdkSignContent(input), 'utf8').digest('hex');
}
