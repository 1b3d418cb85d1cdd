/**
 * The business side of the sandbox's v3 endpoints, after the Authorization was verified
 * (v3-api.ts). Each returns a status and a JSON body, or WeChat's `{code, message}` error.
 */
import { encryptGcm } from '../../channels/wechat/aes.js';
import { newNonce } from '../../channels/wechat/nonce.js';
import { parseV3Time, toV3Time } from '../../channels/wechat/time.js';
import { isValidOutRefundNo, isValidOutTradeNo } from '../../channels/wechat/trade-no.js';
import { v3Refund, v3Transaction as transactionObject } from './messages.js';
import { codeUrlOf, expiryProblem, h5UrlOf, notifyUrlProblem, openidProblem, placeOrder } from './order-rules.js';
import { applyRefund, close, isRefused, type SandboxTrade } from './trade.js';
import { v3Error, type V3Call, type V3Outcome } from './v3-api.js';

type Json = Readonly<Record<string, unknown>>;
const obj = (value: unknown): Json => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {});
const str = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
const fen = (value: unknown): number | undefined => (typeof value === 'number' && Number.isSafeInteger(value) && value >= 1 ? value : undefined);
const PRODUCT_TRADE_TYPE = { jsapi: 'JSAPI', native: 'NATIVE', h5: 'MWEB' } as const;

export async function v3Transaction({ sandbox, merchant, body }: V3Call, product: 'jsapi' | 'native' | 'h5'): Promise<V3Outcome> {
  for (const name of ['appid', 'mchid', 'description', 'out_trade_no', 'notify_url']) if (!str(body[name])) return v3Error(400, 'PARAM_ERROR', `缺少参数${name}`);
  if (body.mchid !== merchant.mchId) return v3Error(400, 'PARAM_ERROR', 'mchid与请求头中的商户号不一致');
  if (body.appid !== merchant.appid) return v3Error(400, 'APPID_MCHID_NOT_MATCH', 'appid和mch_id不匹配');
  if (!isValidOutTradeNo(body.out_trade_no)) return v3Error(400, 'PARAM_ERROR', 'out_trade_no格式错误');
  const amount = obj(body.amount);
  const total = fen(amount.total);
  if (total === undefined) return v3Error(400, 'PARAM_ERROR', 'amount.total必须为正整数（分）');
  if (amount.currency !== undefined && amount.currency !== 'CNY') return v3Error(400, 'PARAM_ERROR', 'amount.currency只支持CNY');
  const description = str(body.description)!;
  if (Buffer.byteLength(description, 'utf8') > 127) return v3Error(400, 'PARAM_ERROR', 'description长度超过限制');
  const urlProblem = notifyUrlProblem(str(body.notify_url));
  if (urlProblem) return v3Error(400, 'PARAM_ERROR', urlProblem);
  const openid = str(obj(body.payer).openid);
  if (product === 'jsapi') {
    const problem = await openidProblem(sandbox, merchant.appid, openid);
    if (problem) return v3Error(400, 'PARAM_ERROR', problem);
  }
  const scene = obj(body.scene_info);
  if (product === 'h5' && (!str(scene.payer_client_ip) || !str(obj(scene.h5_info).type))) return v3Error(400, 'PARAM_ERROR', 'H5支付必须传scene_info.payer_client_ip和scene_info.h5_info.type');
  let timeExpire: number | undefined;
  if (body.time_expire !== undefined) {
    timeExpire = typeof body.time_expire === 'string' ? parseV3Time(body.time_expire) : undefined;
    if (timeExpire === undefined) return v3Error(400, 'PARAM_ERROR', 'time_expire必须为rfc3339格式');
    const problem = expiryProblem(timeExpire, sandbox.now());
    if (problem) return v3Error(400, 'PARAM_ERROR', problem);
  }
  const placed = await placeOrder(sandbox, {
    version: 'v3', merchant, out_trade_no: body.out_trade_no, trade_type: PRODUCT_TRADE_TYPE[product], description, total,
    notify_url: str(body.notify_url)!, openid: product === 'jsapi' ? openid : undefined, client_ip: str(scene.payer_client_ip) ?? '127.0.0.1',
    attach: str(body.attach), time_expire: timeExpire,
  });
  if ('error' in placed) {
    if (placed.error === 'ORDERPAID') return v3Error(403, 'ORDERPAID', placed.message);
    if (placed.error === 'ORDERCLOSED') return v3Error(400, 'ORDER_CLOSED', placed.message);
    return v3Error(403, placed.error, placed.message);
  }
  if (product === 'native') return { status: 200, body: { code_url: codeUrlOf(sandbox, placed) } };
  if (product === 'h5') return { status: 200, body: { h5_url: h5UrlOf(sandbox, placed) } };
  return { status: 200, body: { prepay_id: placed.prepay_id } };
}

async function tradeOf(call: V3Call, ref: { outTradeNo?: string; transactionId?: string }): Promise<SandboxTrade | undefined> {
  const { sandbox, merchant } = call;
  const found = ref.transactionId ? await sandbox.trades.byTransactionId(ref.transactionId) : await sandbox.trades.get(merchant.mchId, ref.outTradeNo ?? '');
  return found && found.mchid === merchant.mchId ? sandbox.load(found.mchid, found.out_trade_no) : undefined;
}

export async function v3Query(call: V3Call, ref: { outTradeNo?: string; transactionId?: string }): Promise<V3Outcome> {
  const mchid = call.request.query.mchid;
  if (!mchid) return v3Error(400, 'PARAM_ERROR', '缺少参数mchid');
  if (mchid !== call.merchant.mchId) return v3Error(400, 'PARAM_ERROR', 'mchid与请求头中的商户号不一致');
  const trade = await tradeOf(call, ref);
  if (!trade) return v3Error(404, 'ORDER_NOT_EXIST', '订单不存在');
  return { status: 200, body: transactionObject(trade) };
}

export async function v3Close(call: V3Call, outTradeNo: string): Promise<V3Outcome> {
  if (call.body.mchid !== call.merchant.mchId) return v3Error(400, 'PARAM_ERROR', 'mchid与请求头中的商户号不一致');
  const trade = await tradeOf(call, { outTradeNo });
  if (!trade) return v3Error(404, 'ORDER_NOT_EXIST', '订单不存在');
  const result = await call.sandbox.change(trade, close);
  if (isRefused(result)) return v3Error(403, 'ORDERPAID', result.message);
  return { status: 204 };
}

export async function v3CreateRefund(call: V3Call): Promise<V3Outcome> {
  const { sandbox, body } = call;
  const outRefundNo = str(body.out_refund_no);
  if (!outRefundNo || !isValidOutRefundNo(outRefundNo)) return v3Error(400, 'PARAM_ERROR', 'out_refund_no缺失或格式错误');
  const outTradeNo = str(body.out_trade_no);
  const transactionId = str(body.transaction_id);
  if (!outTradeNo && !transactionId) return v3Error(400, 'PARAM_ERROR', 'transaction_id和out_trade_no必须二选一');
  const amount = obj(body.amount);
  const refund = fen(amount.refund);
  const total = fen(amount.total);
  if (refund === undefined || total === undefined || amount.currency !== 'CNY') return v3Error(400, 'PARAM_ERROR', 'amount.refund、amount.total必须为正整数，amount.currency为CNY');
  const notifyUrl = str(body.notify_url);
  if (notifyUrl && notifyUrlProblem(notifyUrl)) return v3Error(400, 'PARAM_ERROR', notifyUrlProblem(notifyUrl)!);
  const trade = await tradeOf(call, { outTradeNo, transactionId });
  if (!trade) return v3Error(404, 'RESOURCE_NOT_EXISTS', '订单不存在');
  let outRefund: string = outRefundNo;
  const result = await sandbox.change(trade, (current) => {
    const applied = applyRefund(current, { out_refund_no: outRefundNo, amount: refund, total, reason: str(body.reason), notify_url: notifyUrl, version: 'v3' }, sandbox.now());
    if (!isRefused(applied) && applied.refund) outRefund = applied.refund.out_refund_no;
    return applied;
  });
  if (isRefused(result)) return v3Error(result.error === 'PARAM_ERROR' ? 400 : result.error === 'TRADE_STATE_ERROR' ? 403 : 400, result.error === 'TRADE_STATE_ERROR' ? 'TRADE_ERROR' : 'INVALID_REQUEST', result.message);
  const saved = result.trade.refunds.find((r) => r.out_refund_no === outRefund)!;
  return { status: 200, body: v3Refund(result.trade, saved) };
}

export async function v3QueryRefund(call: V3Call, outRefundNo: string): Promise<V3Outcome> {
  const { sandbox, merchant } = call;
  const indexed = await sandbox.trades.byOutRefundNo(merchant.mchId, outRefundNo);
  const trade = indexed && indexed.mchid === merchant.mchId ? await sandbox.load(indexed.mchid, indexed.out_trade_no) : undefined;
  const refund = trade?.refunds.find((r) => r.out_refund_no === outRefundNo);
  if (!trade || !refund) return v3Error(404, 'RESOURCE_NOT_EXISTS', '退款单不存在');
  return { status: 200, body: v3Refund(trade, refund) };
}

/** The platform certificates, each encrypted under the merchant's APIv3 key. */
export async function v3Certificates({ sandbox, merchant }: V3Call): Promise<V3Outcome> {
  if (!merchant.apiV3Key) return v3Error(403, 'NO_AUTH', '商户未设置APIv3密钥');
  const platform = await sandbox.platform();
  const nonce = newNonce(12);
  return {
    status: 200,
    body: {
      data: [{
        serial_no: platform.serial,
        effective_time: toV3Time(platform.notBefore),
        expire_time: toV3Time(platform.notAfter),
        encrypt_certificate: { algorithm: 'AEAD_AES_256_GCM', nonce, associated_data: 'certificate', ciphertext: encryptGcm(platform.certificatePem, merchant.apiV3Key, nonce, 'certificate') },
      }],
    },
  };
}
