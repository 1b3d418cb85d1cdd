/**
 * The sandbox's API v3. Every request must carry a valid
 * `Authorization: WECHATPAY2-SHA256-RSA2048 …` over the request target as received (401
 * SIGN_ERROR otherwise, like WeChat), from a known merchant certificate serial, within five
 * minutes of now. Answers are JSON; 2xx answers (204 too) are signed with the platform key in
 * `Wechatpay-*` headers; errors are `{code, message}` with WeChat's status codes.
 */
import { randomUUID } from 'node:crypto';
import { parseV3Authorization, rsaVerify, v3RequestMessage, V3_MAX_CLOCK_SKEW_SECONDS, headerOf } from '../../channels/wechat/sign-v3.js';
import type { SandboxReply, SandboxRequest } from './http-types.js';
import { merchantsByMchId, type SandboxMerchant } from './merchants.js';
import type { WechatSandbox } from './sandbox.js';
import { v3Certificates, v3Close, v3CreateRefund, v3Query, v3QueryRefund, v3Transaction } from './v3-operations.js';

export type V3Outcome = { readonly status: number; readonly body?: unknown } | { readonly status: number; readonly code: string; readonly message: string };

export interface V3Call {
  readonly sandbox: WechatSandbox;
  readonly merchant: SandboxMerchant;
  readonly request: SandboxRequest;
  readonly body: Readonly<Record<string, unknown>>;
}

export function v3Error(status: number, code: string, message: string): V3Outcome {
  return { status, code, message };
}

function errorReply(status: number, code: string, message: string): SandboxReply {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8', 'request-id': randomUUID() }, body: JSON.stringify({ code, message }) };
}

async function authenticate(sandbox: WechatSandbox, request: SandboxRequest): Promise<SandboxMerchant | SandboxReply> {
  const auth = parseV3Authorization(headerOf(request.headers, 'authorization'));
  if (!auth) return errorReply(401, 'SIGN_ERROR', 'Http头Authorization值格式错误，请参考《微信支付商户REST API签名规则》');
  if (!/^\d{1,12}$/.test(auth.timestamp) || Math.abs(Math.floor(sandbox.now() / 1000) - Number(auth.timestamp)) > V3_MAX_CLOCK_SKEW_SECONDS) {
    return errorReply(401, 'SIGN_ERROR', '请求的时间戳已过期或与服务器时间相差超过5分钟');
  }
  const candidates = (await merchantsByMchId(sandbox.merchants, auth.mchid)).filter((m) => m.publicKey);
  if (candidates.length === 0) return errorReply(400, 'MCH_NOT_EXISTS', '商户号不存在或未开通APIv3');
  const bySerial = candidates.filter((m) => m.serialNo === auth.serial_no.toUpperCase());
  if (bySerial.length === 0) return errorReply(401, 'SIGN_ERROR', '商户证书序列号有误。请使用签名私钥匹配的证书序列号');
  const message = v3RequestMessage(request.method, request.target, auth.timestamp, auth.nonce_str, request.rawBody);
  const merchant = bySerial.find((m) => rsaVerify(message, auth.signature, m.publicKey!));
  if (!merchant) return errorReply(401, 'SIGN_ERROR', '签名错误，请检查后再试');
  return merchant;
}

type Route = { readonly method: string; readonly pattern: RegExp; readonly run: (call: V3Call, match: RegExpExecArray) => Promise<V3Outcome> };

const ROUTES: readonly Route[] = [
  { method: 'POST', pattern: /^\/v3\/pay\/transactions\/(jsapi|native|h5)$/, run: (call, m) => v3Transaction(call, m[1] as 'jsapi' | 'native' | 'h5') },
  { method: 'GET', pattern: /^\/v3\/pay\/transactions\/out-trade-no\/([^/]+)$/, run: (call, m) => v3Query(call, { outTradeNo: decodeURIComponent(m[1]) }) },
  { method: 'GET', pattern: /^\/v3\/pay\/transactions\/id\/([^/]+)$/, run: (call, m) => v3Query(call, { transactionId: decodeURIComponent(m[1]) }) },
  { method: 'POST', pattern: /^\/v3\/pay\/transactions\/out-trade-no\/([^/]+)\/close$/, run: (call, m) => v3Close(call, decodeURIComponent(m[1])) },
  { method: 'POST', pattern: /^\/v3\/refund\/domestic\/refunds$/, run: (call) => v3CreateRefund(call) },
  { method: 'GET', pattern: /^\/v3\/refund\/domestic\/refunds\/([^/]+)$/, run: (call, m) => v3QueryRefund(call, decodeURIComponent(m[1])) },
  { method: 'GET', pattern: /^\/v3\/certificates$/, run: (call) => v3Certificates(call) },
];

export function isV3Path(path: string): boolean {
  return path.startsWith('/v3/');
}

export async function handleV3(sandbox: WechatSandbox, request: SandboxRequest): Promise<SandboxReply> {
  const route = ROUTES.find((r) => r.pattern.test(request.path));
  if (!route) return errorReply(404, 'NOT_FOUND', '请求的资源不存在');
  if (route.method !== request.method) return errorReply(405, 'METHOD_NOT_ALLOWED', `请使用${route.method}方法`);
  const merchant = await authenticate(sandbox, request);
  if ('status' in merchant) return merchant;
  let body: Record<string, unknown> = {};
  if (request.method === 'POST') {
    try {
      const parsed: unknown = JSON.parse(request.rawBody);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return errorReply(400, 'PARAM_ERROR', '请求体必须是JSON对象');
      body = parsed as Record<string, unknown>;
    } catch {
      return errorReply(400, 'PARAM_ERROR', '请求体不是合法的JSON');
    }
  }
  const outcome = await route.run({ sandbox, merchant, request, body }, route.pattern.exec(request.path)!);
  if ('code' in outcome) return errorReply(outcome.status, outcome.code, outcome.message);
  const text = outcome.body === undefined ? '' : JSON.stringify(outcome.body);
  const headers = { ...(text ? { 'content-type': 'application/json; charset=utf-8' } : {}), 'request-id': randomUUID(), ...(await sandbox.signV3(text)) };
  return { status: outcome.status, headers, body: text };
}
