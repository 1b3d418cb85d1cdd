import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { toMajorString, parseMajorString, assertAmount, normalizeCurrency, MAX_AMOUNT } from '../../src/core/money.js';
import { computeFee, validateFeeRule } from '../../src/core/fees.js';
import { planRefund, refundableAmount, settleRefund } from '../../src/core/refund-rules.js';
import { PaygateError } from '../../src/core/errors.js';
import { newId, randomBase62 } from '../../src/core/ids.js';

describe('money', () => {
  it('formats minor units as the channel edge wants them', () => {
    expect(toMajorString(10, 'cny')).toBe('0.10');
    expect(toMajorString(1, 'cny')).toBe('0.01');
    expect(toMajorString(123456, 'CNY')).toBe('1234.56');
    expect(toMajorString(500, 'jpy')).toBe('500');
  });
  it('parses yuan strings strictly', () => {
    expect(parseMajorString('0.10', 'cny')).toBe(10);
    expect(parseMajorString('12', 'cny')).toBe(1200);
    expect(parseMajorString('0.1', 'cny')).toBe(10);
    for (const bad of ['0.101', '-1.00', '1e2', ' 1.00', '1.00 ', '', '.5', '0x10', '1,00']) expect(parseMajorString(bad, 'cny')).toBeUndefined();
  });
  it('round-trips every amount exactly', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: MAX_AMOUNT }), (n) => parseMajorString(toMajorString(n, 'cny'), 'cny') === n));
  });
  it('refuses non-integer, negative, zero and oversize amounts', () => {
    for (const bad of [0, -1, 1.5, '100', NaN, Infinity, MAX_AMOUNT + 1, null]) expect(() => assertAmount(bad)).toThrow(PaygateError);
    expect(assertAmount(1)).toBe(1);
  });
  it('knows its currencies', () => {
    expect(normalizeCurrency('CNY')).toBe('cny');
    expect(() => normalizeCurrency('xyz')).toThrow(/not supported/);
  });
});

describe('fees', () => {
  it('rounds half up and adds the fixed part', () => {
    expect(computeFee(10_000, { percent_bp: 60, fixed: 0 })).toBe(60);
    expect(computeFee(250, { percent_bp: 60, fixed: 0 })).toBe(2); // 1.5 → 2
    expect(computeFee(249, { percent_bp: 60, fixed: 0 })).toBe(1); // 1.494 → 1
    expect(computeFee(100, { percent_bp: 0, fixed: 30 })).toBe(30);
  });
  it('never exceeds the amount, and is exact for huge amounts', () => {
    expect(computeFee(10, { percent_bp: 10_000, fixed: 50 })).toBe(10);
    expect(computeFee(MAX_AMOUNT, { percent_bp: 9_999, fixed: 0 })).toBe(999_900_000_000);
  });
  it('validates the rule', () => {
    expect(() => validateFeeRule({ percent_bp: 1.5 })).toThrow(/percent_bp/);
    expect(() => validateFeeRule({ percent_bp: 10, fixed: -1 })).toThrow(/fixed/);
    expect(validateFeeRule(undefined)).toEqual({ percent_bp: 0, fixed: 0 });
  });
});

describe('refund rules', () => {
  const charge = { status: 'succeeded' as const, amount: 1000, amount_refunded: 300, amount_refund_pending: 200 };
  it('refunds what is left when no amount is given', () => expect(planRefund(charge, undefined)).toBe(500));
  it('refuses more than is left, counting pending refunds', () => {
    expect(() => planRefund(charge, 501)).toThrow(/more than the 500 left/);
    expect(planRefund(charge, 500)).toBe(500);
  });
  it('refuses refunds of unpaid charges', () => expect(() => planRefund({ ...charge, status: 'pending' as never }, 1)).toThrow(/Only succeeded/));
  it('never lets the refunded sum pass the amount', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 100_000 }), fc.array(fc.option(fc.integer({ min: -5, max: 60_000 }), { nil: undefined }), { maxLength: 20 }), (amount, requests) => {
      let refunded = 0;
      for (const requested of requests) {
        try {
          refunded += planRefund({ status: 'succeeded', amount, amount_refunded: refunded, amount_refund_pending: 0 }, requested);
        } catch (error) {
          expect(error).toBeInstanceOf(PaygateError);
        }
        expect(refunded).toBeLessThanOrEqual(amount);
        expect(refundableAmount({ status: 'succeeded', amount, amount_refunded: refunded, amount_refund_pending: 0 })).toBe(amount - refunded);
      }
    }));
  });
  it('settles once', () => {
    expect(settleRefund('pending', 'succeeded')).toEqual({ changed: true, to: 'succeeded' });
    expect(settleRefund('succeeded', 'succeeded')).toEqual({ changed: false, to: 'succeeded' });
    expect(settleRefund('succeeded', 'failed')).toHaveProperty('error');
  });
});

describe('ids', () => {
  it('are prefixed and random', () => {
    expect(newId('charge')).toMatch(/^ch_[0-9A-Za-z]{24}$/);
    expect(newId('event')).toMatch(/^evt_/);
    expect(new Set(Array.from({ length: 1000 }, () => randomBase62(24))).size).toBe(1000);
    expect(new Set(Array.from({ length: 1000 }, () => newId('charge', 1_700_000_000_000))).size).toBe(1000);
  });

  it('sort by creation time, whatever their random part', () => {
    const times = [0, 61, 62, 1_700_000_000_000, 1_700_000_000_001, 1_800_000_000_000, 62 ** 8 - 1];
    const ids = times.map((ms) => newId('charge', ms));
    expect([...ids].sort()).toEqual(ids);
    expect(newId('charge', 0).slice(3, 11)).toBe('00000000');
  });
});
