/**
 * The Open Platform side of the sandbox's gateway.do: check the common params and the
 * signature as Alipay's gateway does (every param but `sign`, empty values dropped, unknown
 * params such as alipay-sdk's `alipay_sdk` included), then run the method. Server-to-server
 * answers are signed JSON; page flows (page.pay, wap.pay) answer the buyer's browser.
 */
import { isRsaSignType, requestSignContent, verifyRequest } from '../../channels/alipay/sign.js';
import { responseKeyOf, writeSignedResponse } from '../../channels/alipay/response.js';
import { parseAlipayTime } from '../../channels/alipay/time.js';
import { METHODS } from '../../channels/alipay/protocol.js';
import type { AlipaySandbox } from './sandbox.js';
import type { SandboxMerchant } from './merchants.js';
import { errorPage, jsonReply, type SandboxReply } from './replies.js';
import { OPEN_API_METHODS, type MethodAnswer } from './openapi-methods.js';
import { openPageTrade } from './page-flow.js';

type Params = Readonly<Record<string, string>>;
const PAGE_METHODS = new Set<string>([METHODS.pagePay, METHODS.wapPay]);

interface Failure {
  readonly code: string;
  readonly msg: string;
  readonly sub_code: string;
  readonly sub_msg: string;
}

const missing = (sub_code: string, sub_msg: string): Failure => ({ code: '40001', msg: 'Missing Required Arguments', sub_code, sub_msg });
const invalid = (sub_code: string, sub_msg: string): Failure => ({ code: '40002', msg: 'Invalid Arguments', sub_code, sub_msg });

/** Checks common params and the signature; returns the merchant whose key verified, or why not. */
export async function authenticate(sandbox: AlipaySandbox, params: Params): Promise<SandboxMerchant | Failure> {
  if (!params.app_id) return missing('isv.missing-app-id', '缺少应用 ID 参数');
  if (!params.method) return missing('isv.missing-method', '缺少方法名参数');
  if (!params.sign) return missing('isv.missing-signature', '缺少签名参数');
  if (!params.sign_type) return missing('isv.missing-signature-type', '缺少签名类型参数');
  if (!isRsaSignType(params.sign_type)) return invalid('isv.invalid-signature-type', `无效的签名类型 ${params.sign_type}，应为 RSA2 或 RSA`);
  if (!params.timestamp) return missing('isv.missing-timestamp', '缺少时间戳参数');
  if (parseAlipayTime(params.timestamp) === undefined) return invalid('isv.invalid-timestamp', '非法的时间戳参数，格式为 yyyy-MM-dd HH:mm:ss');
  if (!params.version) return missing('isv.missing-version', '缺少版本参数');
  if (params.version !== '1.0') return invalid('isv.invalid-version', '非法的版本参数');
  if (params.charset && params.charset.toLowerCase() !== 'utf-8') return invalid('isv.invalid-charset', '沙箱只支持 utf-8 字符集');
  if (params.format && params.format.toUpperCase() !== 'JSON') return invalid('isv.invalid-format', '非法的返回格式，应为 JSON');
  const merchants = await sandbox.merchants.byAppId(params.app_id);
  if (merchants.length === 0) return invalid('isv.invalid-app-id', `无效的 AppID 参数 ${params.app_id}`);
  const merchant = merchants.find((m) => m.appPublicKey && verifyRequest(params, m.appPublicKey));
  if (!merchant) {
    return invalid('isv.invalid-signature', `验签出错，建议检查签名字符串或签名私钥与应用公钥是否匹配，网关生成的验签字符串为：${requestSignContent(params)}`);
  }
  return merchant;
}

export async function handleOpenApi(sandbox: AlipaySandbox, params: Params, interactive: boolean): Promise<SandboxReply> {
  const method = params.method ?? '';
  const page = PAGE_METHODS.has(method);
  const signType = isRsaSignType(params.sign_type) ? params.sign_type : 'RSA2';
  const answer = async (body: MethodAnswer | Failure): Promise<SandboxReply> => {
    const { alipayPrivateKey } = await sandbox.keys();
    return jsonReply(writeSignedResponse(method ? responseKeyOf(method) : 'error_response', { ...body }, alipayPrivateKey, signType));
  };

  const auth = await authenticate(sandbox, params);
  if ('sub_code' in auth) return page ? errorPage(auth.sub_code, auth.sub_msg) : answer(auth);
  let biz: Record<string, unknown> = {};
  if (params.biz_content !== undefined) {
    try {
      const parsed: unknown = JSON.parse(params.biz_content);
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
      biz = parsed as Record<string, unknown>;
    } catch {
      const failure = invalid('isv.invalid-biz-content', 'biz_content 不是合法的 JSON 对象');
      return page ? errorPage(failure.sub_code, failure.sub_msg) : answer(failure);
    }
  }
  if (page) return openPageTrade(sandbox, { kind: 'openapi', method, biz, params, merchant: auth }, interactive);
  const run = OPEN_API_METHODS[method];
  if (!run) return answer(invalid('isv.invalid-method', `不存在的方法名 ${method}`));
  return answer(await run(sandbox, biz, params, auth));
}
