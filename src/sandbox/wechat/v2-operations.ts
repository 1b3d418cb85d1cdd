/**
 * The business side of the sandbox's v2 endpoints, after the request's signature and merchant
 * were checked (v2-api.ts). Each returns answer fields or an `err_code`.
 */
import { parseV2Time, toV2Time } from '../../channels/wechat/time.js';
import { isValidOutRefundNo, isValidOutTradeNo } from '../../channels/wechat/trade-no.js';
import { codeUrlOf, expiryProblem, h5UrlOf, notifyUrlProblem, openidProblem, placeOrder } from './order-rules.js';
import { applyRefund, close, isRefused, type SandboxTrade, type SandboxTradeType } from './trade.js';
import type { V2Call, V2Outcome } from './v2-api.js';
import { tradeStateDesc } from './messages.js';

const err = (err_code: string, err_code_des: string): V2Outcome => ({ err_code, err_code_des });
const isFen = (text: string | undefined) => text !== undefined && /^[1-9]\d{0,11}$/.test(text);

export async function v2UnifiedOrder({ sandbox, merchant, signType, fields: f }: V2Call): Promise<V2Outcome> {
  for (const name of ['body', 'out_trade_no', 'total_fee', 'spbill_create_ip', 'notify_url', 'trade_type']) if (!f[name]) return err('LACK_PARAMS', `缺少参数${name}`);
  if (!isValidOutTradeNo(f.out_trade_no)) return err('PARAM_ERROR', 'out_trade_no参数格式错误');
  if (!isFen(f.total_fee)) return err('PARAM_ERROR', 'total_fee参数格式错误（整数，单位分）');
  if (f.fee_type !== undefined && f.fee_type !== 'CNY') return err('PARAM_ERROR', 'fee_type参数错误');
  if (Buffer.byteLength(f.body, 'utf8') > 128) return err('PARAM_ERROR', 'body参数长度有误');
  if (!['JSAPI', 'NATIVE', 'MWEB'].includes(f.trade_type)) return err('PARAM_ERROR', 'trade_type参数错误');
  const urlProblem = notifyUrlProblem(f.notify_url);
  if (urlProblem) return err('PARAM_ERROR', urlProblem);
  if (f.trade_type === 'JSAPI') {
    const problem = await openidProblem(sandbox, merchant.appid, f.openid);
    if (problem) return err('PARAM_ERROR', problem);
  }
  if (f.trade_type === 'NATIVE' && !f.product_id) return err('PARAM_ERROR', 'NATIVE支付必须传product_id');
  let timeExpire: number | undefined;
  if (f.time_expire !== undefined) {
    timeExpire = parseV2Time(f.time_expire);
    if (timeExpire === undefined) return err('PARAM_ERROR', 'time_expire参数格式错误（yyyyMMddHHmmss）');
    const problem = expiryProblem(timeExpire, sandbox.now());
    if (problem) return err('PARAM_ERROR', problem);
  }
  const placed = await placeOrder(sandbox, {
    version: 'v2', merchant, out_trade_no: f.out_trade_no, trade_type: f.trade_type as SandboxTradeType, description: f.body,
    total: Number(f.total_fee), notify_url: f.notify_url, openid: f.trade_type === 'JSAPI' ? f.openid : undefined,
    product_id: f.product_id, client_ip: f.spbill_create_ip, attach: f.attach, sign_type: signType, time_expire: timeExpire,
  });
  if ('error' in placed) return err(placed.error, placed.message);
  return {
    fields: {
      trade_type: placed.trade_type, prepay_id: placed.prepay_id,
      code_url: placed.trade_type === 'NATIVE' ? codeUrlOf(sandbox, placed) : undefined,
      mweb_url: placed.trade_type === 'MWEB' ? h5UrlOf(sandbox, placed) : undefined,
    },
  };
}

async function findTrade(call: V2Call): Promise<SandboxTrade | undefined> {
  const { sandbox, merchant, fields: f } = call;
  const trade = f.transaction_id ? await sandbox.trades.byTransactionId(f.transaction_id) : f.out_trade_no ? await sandbox.load(merchant.mchId, f.out_trade_no) : undefined;
  if (!trade || trade.mchid !== merchant.mchId) return undefined;
  return f.transaction_id ? sandbox.load(trade.mchid, trade.out_trade_no) : trade;
}

function paymentFields(trade: SandboxTrade): Record<string, string | number | undefined> {
  const paid = trade.paid_at !== undefined;
  return {
    trade_state: trade.state, trade_state_desc: tradeStateDesc(trade), out_trade_no: trade.out_trade_no, total_fee: trade.total,
    fee_type: 'CNY', trade_type: trade.trade_type, attach: trade.attach,
    openid: paid ? trade.payer_openid : undefined, is_subscribe: paid ? 'N' : undefined, bank_type: paid ? 'OTHERS' : undefined,
    cash_fee: paid ? trade.total : undefined, transaction_id: trade.transaction_id, time_end: paid ? toV2Time(trade.paid_at!) : undefined,
  };
}

export async function v2OrderQuery(call: V2Call): Promise<V2Outcome> {
  if (!call.fields.out_trade_no && !call.fields.transaction_id) return err('LACK_PARAMS', '缺少参数out_trade_no或transaction_id');
  const trade = await findTrade(call);
  if (!trade) return err('ORDERNOTEXIST', '此交易订单号不存在');
  return { fields: paymentFields(trade) };
}

export async function v2Close(call: V2Call): Promise<V2Outcome> {
  if (!call.fields.out_trade_no) return err('LACK_PARAMS', '缺少参数out_trade_no');
  const trade = await findTrade(call);
  if (!trade) return err('ORDERNOTEXIST', '此交易订单号不存在');
  if (trade.state === 'CLOSED') return err('ORDERCLOSED', '订单已关闭');
  const result = await call.sandbox.change(trade, close);
  if (isRefused(result)) return err(result.error, result.message);
  return { fields: { result_msg: 'OK' } };
}

export async function v2Refund(call: V2Call): Promise<V2Outcome> {
  const { sandbox, signType, fields: f } = call;
  for (const name of ['out_refund_no', 'total_fee', 'refund_fee']) if (!f[name]) return err('LACK_PARAMS', `缺少参数${name}`);
  if (!f.out_trade_no && !f.transaction_id) return err('LACK_PARAMS', '缺少参数out_trade_no或transaction_id');
  if (!isValidOutRefundNo(f.out_refund_no)) return err('PARAM_ERROR', 'out_refund_no参数格式错误');
  if (!isFen(f.total_fee) || !isFen(f.refund_fee)) return err('PARAM_ERROR', 'total_fee/refund_fee参数格式错误');
  if (f.notify_url !== undefined && notifyUrlProblem(f.notify_url)) return err('PARAM_ERROR', notifyUrlProblem(f.notify_url)!);
  const trade = await findTrade(call);
  if (!trade) return err('ORDERNOTEXIST', '订单号不存在');
  let refundId = '';
  const result = await sandbox.change(trade, (current) => {
    const applied = applyRefund(current, { out_refund_no: f.out_refund_no, amount: Number(f.refund_fee), total: Number(f.total_fee), reason: f.refund_desc, notify_url: f.notify_url, version: 'v2', sign_type: signType }, sandbox.now());
    if (!isRefused(applied)) refundId = applied.refund?.refund_id ?? '';
    return applied;
  });
  if (isRefused(result)) return err(result.error, result.message);
  const updated = result.trade;
  return {
    fields: {
      transaction_id: updated.transaction_id, out_trade_no: updated.out_trade_no, out_refund_no: f.out_refund_no, refund_id: refundId,
      refund_fee: f.refund_fee, settlement_refund_fee: f.refund_fee, total_fee: updated.total, settlement_total_fee: updated.total,
      fee_type: 'CNY', cash_fee: updated.total, cash_refund_fee: f.refund_fee, refund_channel: 'ORIGINAL',
    },
  };
}

export async function v2RefundQuery(call: V2Call): Promise<V2Outcome> {
  const { sandbox, merchant, fields: f } = call;
  let trade: SandboxTrade | undefined;
  if (f.refund_id) trade = await sandbox.trades.byRefundId(f.refund_id);
  else if (f.out_refund_no) trade = await sandbox.trades.byOutRefundNo(merchant.mchId, f.out_refund_no);
  else if (f.out_trade_no || f.transaction_id) trade = await findTrade(call);
  else return err('LACK_PARAMS', '缺少参数out_refund_no、out_trade_no、transaction_id或refund_id');
  trade = trade && trade.mchid === merchant.mchId ? await sandbox.load(trade.mchid, trade.out_trade_no) : undefined;
  const refunds = (trade?.refunds ?? []).filter((r) => (!f.refund_id || r.refund_id === f.refund_id) && (!f.out_refund_no || r.out_refund_no === f.out_refund_no));
  if (!trade || refunds.length === 0) return err('REFUNDNOTEXIST', '退款订单查询失败');
  const fields: Record<string, string | number | undefined> = {
    transaction_id: trade.transaction_id, out_trade_no: trade.out_trade_no, total_fee: trade.total, cash_fee: trade.total,
    refund_count: refunds.length, refund_fee: refunds.reduce((sum, r) => sum + r.amount, 0),
  };
  refunds.forEach((r, n) => {
    Object.assign(fields, {
      [`out_refund_no_${n}`]: r.out_refund_no, [`refund_id_${n}`]: r.refund_id, [`refund_channel_${n}`]: 'ORIGINAL',
      [`refund_fee_${n}`]: r.amount, [`settlement_refund_fee_${n}`]: r.amount,
      [`refund_status_${n}`]: r.status === 'CLOSED' ? 'REFUNDCLOSE' : r.status,
      [`refund_recv_accout_${n}`]: '支付用户零钱',
      [`refund_success_time_${n}`]: r.success_at ? new Date(r.success_at + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ') : undefined,
    });
  });
  return { fields };
}
