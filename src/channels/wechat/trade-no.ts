/**
 * WeChat's rules for merchant-side numbers. paygate sends its charge id (`ch_` + 24 base62 = 27
 * characters) as `out_trade_no` and its refund id as `out_refund_no`, so both always qualify;
 * these checks guard the boundary anyway, and the sandbox applies them to what it receives.
 */

/** `out_trade_no`: 6–32 characters of digits, letters, `_ - | *`, unique per merchant. */
export const OUT_TRADE_NO = /^[0-9A-Za-z_\-|*]{6,32}$/;
/** `out_refund_no`: 1–64 characters of digits, letters, `_ - | * @`. */
export const OUT_REFUND_NO = /^[0-9A-Za-z_\-|*@]{1,64}$/;

export function isValidOutTradeNo(value: unknown): value is string {
  return typeof value === 'string' && OUT_TRADE_NO.test(value);
}

export function isValidOutRefundNo(value: unknown): value is string {
  return typeof value === 'string' && OUT_REFUND_NO.test(value);
}

/** Throws when paygate's own id would not be a valid `out_trade_no` (a programming fault). */
export function outTradeNoOf(chargeId: string): string {
  if (!isValidOutTradeNo(chargeId)) throw new Error(`charge id ${chargeId} is not a valid WeChat out_trade_no`);
  return chargeId;
}

export function outRefundNoOf(refundId: string): string {
  if (!isValidOutRefundNo(refundId)) throw new Error(`refund id ${refundId} is not a valid WeChat out_refund_no`);
  return refundId;
}
