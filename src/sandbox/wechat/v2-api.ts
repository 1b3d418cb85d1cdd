/**
 * The sandbox's API v2: `/pay/unifiedorder`, `/pay/orderquery`, `/pay/closeorder`,
 * `/secapi/pay/refund`, `/pay/refundquery`. Like WeChat: communication faults (not POST, no or bad
 * XML, unknown merchant, bad signature) answer `return_code=FAIL` unsigned; everything else
 * answers `return_code=SUCCESS`, signed with the merchant's key in the request's sign type, with
 * `result_code` and `err_code` for business declines (ORDERPAID, ORDERNOTEXIST …).
 */
import { newNonce } from '../../channels/wechat/nonce.js';
import { isV2SignType, signV2, verifyV2, type V2SignType } from '../../channels/wechat/sign-v2.js';
import { buildWechatXml, parseWechatXml, type XmlFields } from '../../channels/wechat/xml.js';
import type { SandboxReply, SandboxRequest } from './http-types.js';
import { merchantsByMchId, type SandboxMerchant } from './merchants.js';
import type { WechatSandbox } from './sandbox.js';
import { v2OrderQuery, v2RefundQuery, v2Refund, v2Close, v2UnifiedOrder } from './v2-operations.js';

export const V2_ROUTES = ['/pay/unifiedorder', '/pay/orderquery', '/pay/closeorder', '/secapi/pay/refund', '/pay/refundquery'] as const;

/** A business outcome: answer fields, or an err_code with its description. */
export type V2Outcome = { readonly fields: Readonly<Record<string, string | number | undefined>> } | { readonly err_code: string; readonly err_code_des: string };

export interface V2Call {
  readonly sandbox: WechatSandbox;
  readonly merchant: SandboxMerchant;
  readonly signType: V2SignType;
  readonly fields: XmlFields;
}

const xmlReply = (body: string): SandboxReply => ({ status: 200, headers: { 'content-type': 'text/xml; charset=utf-8' }, body });

/** An unsigned communication failure, as WeChat sends them. */
export function v2Fail(message: string): SandboxReply {
  return xmlReply(buildWechatXml({ return_code: 'FAIL', return_msg: message }));
}

function signedAnswer(call: Omit<V2Call, 'sandbox'>, outcome: V2Outcome): SandboxReply {
  const answer: Record<string, string> = {
    return_code: 'SUCCESS', return_msg: 'OK', appid: call.fields.appid ?? call.merchant.appid, mch_id: call.merchant.mchId, nonce_str: newNonce(),
    result_code: 'err_code' in outcome ? 'FAIL' : 'SUCCESS',
  };
  if ('err_code' in outcome) {
    answer.err_code = outcome.err_code;
    answer.err_code_des = outcome.err_code_des;
  } else {
    for (const [name, value] of Object.entries(outcome.fields)) if (value !== undefined && value !== '') answer[name] = String(value);
  }
  if (call.signType !== 'MD5') answer.sign_type = call.signType;
  answer.sign = signV2(answer, call.merchant.apiKey ?? '', call.signType);
  return xmlReply(buildWechatXml(answer));
}

export async function handleV2(sandbox: WechatSandbox, request: SandboxRequest): Promise<SandboxReply> {
  if (request.method !== 'POST') return v2Fail('请使用post方法');
  if (request.rawBody.trim() === '') return v2Fail('post数据为空');
  const parsed = parseWechatXml(request.rawBody.trim());
  if (!parsed.ok) return v2Fail(`XML格式错误: ${parsed.reason}`);
  const fields = parsed.fields;
  for (const name of ['appid', 'mch_id', 'nonce_str', 'sign']) if (!fields[name]) return v2Fail(`缺少参数${name}`);
  if (fields.nonce_str.length > 32) return v2Fail('nonce_str参数长度有误');
  const declared = fields.sign_type;
  if (declared !== undefined && !isV2SignType(declared)) return v2Fail('sign_type参数错误');
  const signType: V2SignType = declared ?? 'MD5';

  const byMch = await merchantsByMchId(sandbox.merchants, fields.mch_id);
  if (byMch.length === 0) return v2Fail('商户号mch_id不存在');
  const verified = byMch.filter((m) => m.apiKey && verifyV2(fields, m.apiKey, [signType]));
  if (verified.length === 0) return v2Fail('签名错误');
  const merchant = verified.find((m) => m.appid === fields.appid);
  if (!merchant) return signedAnswer({ merchant: verified[0], signType, fields }, { err_code: 'APPID_MCHID_NOT_MATCH', err_code_des: 'appid和mch_id不匹配' });

  const call: V2Call = { sandbox, merchant, signType, fields };
  let outcome: V2Outcome;
  switch (request.path) {
    case '/pay/unifiedorder': outcome = await v2UnifiedOrder(call); break;
    case '/pay/orderquery': outcome = await v2OrderQuery(call); break;
    case '/pay/closeorder': outcome = await v2Close(call); break;
    case '/secapi/pay/refund': outcome = await v2Refund(call); break;
    case '/pay/refundquery': outcome = await v2RefundQuery(call); break;
    default: return v2Fail('接口不存在');
  }
  return signedAnswer(call, outcome);
}
