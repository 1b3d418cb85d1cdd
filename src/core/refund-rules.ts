/**
 * Refund rules: a refund is possible on a succeeded charge, for at most what is left after
 * succeeded and still-pending refunds, so `amount_refunded` can never exceed `amount` and no
 * refund is counted twice.
 */
import type { ChargeStatus } from './charge-state.js';
import { assertAmount } from './money.js';
import { fail } from './errors.js';

export const REFUND_STATUSES = ['pending', 'succeeded', 'failed'] as const;
export type RefundStatus = (typeof REFUND_STATUSES)[number];

export interface RefundableCharge {
  readonly status: ChargeStatus;
  readonly amount: number;
  readonly amount_refunded: number;
  /** Sum of refunds created but not yet succeeded or failed. */
  readonly amount_refund_pending: number;
}

export function refundableAmount(charge: RefundableCharge): number {
  return Math.max(0, charge.amount - charge.amount_refunded - charge.amount_refund_pending);
}

/** Decides the amount of a new refund (`requested` omitted = everything left) or throws. */
export function planRefund(charge: RefundableCharge, requested: unknown): number {
  if (charge.status !== 'succeeded') {
    fail('charge_state_invalid', { message: `Only succeeded charges can be refunded; this charge is ${charge.status}.` });
  }
  const left = refundableAmount(charge);
  if (left === 0) fail('refund_amount_exceeded', { param: 'amount', message: 'The charge has been refunded in full already.' });
  if (requested === undefined || requested === null) return left;
  const amount = assertAmount(requested, 'amount');
  if (amount > left) {
    fail('refund_amount_exceeded', { param: 'amount', message: `The refund of ${amount} is more than the ${left} left to refund on this charge.` });
  }
  return amount;
}

export type RefundOutcome = 'succeeded' | 'failed';

/** A refund settles once: pending → succeeded | failed; the same outcome again is a no-op. */
export function settleRefund(from: RefundStatus, outcome: RefundOutcome): { changed: boolean; to: RefundStatus } | { error: string } {
  if (from === outcome) return { changed: false, to: from };
  if (from !== 'pending') return { error: `A ${from} refund cannot become ${outcome}.` };
  return { changed: true, to: outcome };
}
