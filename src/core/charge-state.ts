/**
 * The charge state machine (PRODUCT.md §2). The only place that decides whether a charge may
 * move; everything else asks `transition`. Repeated or already-overtaken events are no-ops
 * (`changed: false`) so a second identical notification changes nothing; impossible ones are
 * errors with a registered code.
 *
 *   created ─credential_issued─▶ pending ─paid─▶ succeeded
 *                                  │  └─secured_paid─▶ secured_paid ─shipped─▶ shipped ─confirmed─▶ succeeded
 *                                  └─closed─▶ closed
 */

export const CHARGE_STATUSES = ['created', 'pending', 'secured_paid', 'shipped', 'succeeded', 'closed'] as const;
export type ChargeStatus = (typeof CHARGE_STATUSES)[number];

export type ChargeEvent =
  | { readonly kind: 'credential_issued' }
  | { readonly kind: 'paid' }
  | { readonly kind: 'secured_paid' }
  | { readonly kind: 'shipped' }
  | { readonly kind: 'confirmed' }
  | { readonly kind: 'closed'; readonly reason: CloseReason };

export type ChargeEventKind = ChargeEvent['kind'];
export type CloseReason = 'reversed' | 'expired' | 'failed' | 'channel_closed';

/** Statuses from which no event moves the charge any more. */
export const FINAL_STATUSES: ReadonlySet<ChargeStatus> = new Set(['succeeded', 'closed']);
/** `paid` is true from `secured_paid` on. */
export const PAID_STATUSES: ReadonlySet<ChargeStatus> = new Set(['secured_paid', 'shipped', 'succeeded']);

/** How far along a status is; a transition never lowers it. `closed` is a terminal branch. */
export const STATUS_RANK: Readonly<Record<ChargeStatus, number>> = {
  created: 0,
  pending: 1,
  secured_paid: 2,
  shipped: 3,
  succeeded: 4,
  closed: 4,
};

type Outcome = { to: ChargeStatus } | 'noop' | 'illegal';

/** The transition table: [event][from] → outcome. A missing entry is illegal. */
const TABLE: Readonly<Record<ChargeEventKind, Partial<Record<ChargeStatus, Outcome>>>> = {
  credential_issued: { created: { to: 'pending' }, pending: 'noop' },
  paid: { created: { to: 'succeeded' }, pending: { to: 'succeeded' }, succeeded: 'noop' },
  secured_paid: { created: { to: 'secured_paid' }, pending: { to: 'secured_paid' }, secured_paid: 'noop', shipped: 'noop', succeeded: 'noop' },
  shipped: { secured_paid: { to: 'shipped' }, shipped: 'noop', succeeded: 'noop' },
  // A channel may report the buyer's confirmation without having reported the shipping first.
  confirmed: { secured_paid: { to: 'succeeded' }, shipped: { to: 'succeeded' }, succeeded: 'noop' },
  closed: { created: { to: 'closed' }, pending: { to: 'closed' }, closed: 'noop' },
};

/** What a committed transition asks the engine to do next. */
export type TransitionEffect =
  | { readonly kind: 'emit'; readonly eventType: ChargeEventType }
  | { readonly kind: 'handler'; readonly hook: TransactionHook };

export type ChargeEventType = 'charge.pending' | 'charge.secured_paid' | 'charge.shipped' | 'charge.succeeded' | 'charge.closed';
export type TransactionHook = 'onWaitingPaying' | 'onSecuredPaid' | 'onSuccess' | 'onAbort';

const ENTER_EFFECTS: Readonly<Record<ChargeStatus, readonly TransitionEffect[]>> = {
  created: [],
  pending: [{ kind: 'emit', eventType: 'charge.pending' }, { kind: 'handler', hook: 'onWaitingPaying' }],
  secured_paid: [{ kind: 'emit', eventType: 'charge.secured_paid' }, { kind: 'handler', hook: 'onSecuredPaid' }],
  shipped: [{ kind: 'emit', eventType: 'charge.shipped' }],
  succeeded: [{ kind: 'emit', eventType: 'charge.succeeded' }, { kind: 'handler', hook: 'onSuccess' }],
  closed: [{ kind: 'emit', eventType: 'charge.closed' }, { kind: 'handler', hook: 'onAbort' }],
};

export type TransitionResult =
  | { readonly ok: true; readonly changed: false; readonly from: ChargeStatus; readonly to: ChargeStatus; readonly effects: readonly [] }
  | { readonly ok: true; readonly changed: true; readonly from: ChargeStatus; readonly to: ChargeStatus; readonly effects: readonly TransitionEffect[] }
  | { readonly ok: false; readonly from: ChargeStatus; readonly event: ChargeEventKind; readonly code: 'charge_state_invalid'; readonly message: string };

export function transition(from: ChargeStatus, event: ChargeEvent): TransitionResult {
  const outcome = TABLE[event.kind][from] ?? 'illegal';
  if (outcome === 'noop') return { ok: true, changed: false, from, to: from, effects: [] };
  if (outcome === 'illegal') {
    return { ok: false, from, event: event.kind, code: 'charge_state_invalid', message: `A ${from} charge cannot be ${describe(event.kind)}.` };
  }
  return { ok: true, changed: true, from, to: outcome.to, effects: ENTER_EFFECTS[outcome.to] };
}

/** Which events the table accepts from a status (for docs and for the console's action buttons). */
export function allowedEvents(from: ChargeStatus): ChargeEventKind[] {
  return (Object.keys(TABLE) as ChargeEventKind[]).filter((kind) => {
    const outcome = TABLE[kind][from];
    return outcome !== undefined && outcome !== 'noop' && outcome !== 'illegal';
  });
}

export function isPaid(status: ChargeStatus): boolean {
  return PAID_STATUSES.has(status);
}

export function isFinal(status: ChargeStatus): boolean {
  return FINAL_STATUSES.has(status);
}

function describe(kind: ChargeEventKind): string {
  switch (kind) {
    case 'credential_issued': return 'given a payment credential';
    case 'paid': return 'paid';
    case 'secured_paid': return 'paid in escrow';
    case 'shipped': return 'shipped';
    case 'confirmed': return 'confirmed by the buyer';
    case 'closed': return 'closed';
  }
}
