/** A channel's fee rule: `percent_bp` basis points of the amount, rounded half-up, plus `fixed`. */
import { assertAmount } from './money.js';
import { fail } from './errors.js';

export interface FeeRule {
  readonly percent_bp: number;
  readonly fixed: number;
}

export const NO_FEE: FeeRule = Object.freeze({ percent_bp: 0, fixed: 0 });

export function validateFeeRule(input: unknown, param = 'fee'): FeeRule {
  if (input === undefined || input === null) return NO_FEE;
  if (typeof input !== 'object') fail('parameter_invalid', { param, message: `${param} must be an object {percent_bp, fixed}.` });
  const { percent_bp = 0, fixed = 0 } = input as Record<string, unknown>;
  if (typeof percent_bp !== 'number' || !Number.isInteger(percent_bp) || percent_bp < 0 || percent_bp > 10_000) {
    fail('parameter_invalid', { param: `${param}.percent_bp`, message: `${param}.percent_bp must be an integer from 0 to 10000 (basis points).` });
  }
  assertAmount(fixed, `${param}.fixed`, { allowZero: true });
  return Object.freeze({ percent_bp, fixed: fixed as number });
}

/** Fee in minor units, never more than the amount itself. BigInt keeps amount × bp exact. */
export function computeFee(amount: number, rule: FeeRule): number {
  const scaled = BigInt(amount) * BigInt(rule.percent_bp);
  const percentPart = (scaled + 5_000n) / 10_000n; // half-up for non-negative values
  const fee = Number(percentPart) + rule.fixed;
  return Math.min(fee, amount);
}
