import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CHARGE_STATUSES, STATUS_RANK, transition, isPaid, type ChargeEvent, type ChargeStatus } from '../../src/core/charge-state.js';

const EVENTS: ChargeEvent[] = [
  { kind: 'credential_issued' }, { kind: 'paid' }, { kind: 'secured_paid' }, { kind: 'shipped' }, { kind: 'confirmed' },
  { kind: 'closed', reason: 'expired' },
];

// The whole table, written out: [from, event] → target status, 'noop' or 'illegal'.
const EXPECTED: Record<ChargeStatus, Record<ChargeEvent['kind'], ChargeStatus | 'noop' | 'illegal'>> = {
  created: { credential_issued: 'pending', paid: 'succeeded', secured_paid: 'secured_paid', shipped: 'illegal', confirmed: 'illegal', closed: 'closed' },
  pending: { credential_issued: 'noop', paid: 'succeeded', secured_paid: 'secured_paid', shipped: 'illegal', confirmed: 'illegal', closed: 'closed' },
  secured_paid: { credential_issued: 'illegal', paid: 'illegal', secured_paid: 'noop', shipped: 'shipped', confirmed: 'succeeded', closed: 'illegal' },
  shipped: { credential_issued: 'illegal', paid: 'illegal', secured_paid: 'noop', shipped: 'noop', confirmed: 'succeeded', closed: 'illegal' },
  succeeded: { credential_issued: 'illegal', paid: 'noop', secured_paid: 'noop', shipped: 'noop', confirmed: 'noop', closed: 'illegal' },
  closed: { credential_issued: 'illegal', paid: 'illegal', secured_paid: 'illegal', shipped: 'illegal', confirmed: 'illegal', closed: 'noop' },
};

describe('the charge state machine', () => {
  for (const from of CHARGE_STATUSES) {
    for (const event of EVENTS) {
      const expected = EXPECTED[from][event.kind];
      it(`${from} + ${event.kind} → ${expected}`, () => {
        const result = transition(from, event);
        if (expected === 'illegal') {
          expect(result.ok).toBe(false);
          if (!result.ok) expect(result.code).toBe('charge_state_invalid');
        } else if (expected === 'noop') {
          expect(result).toMatchObject({ ok: true, changed: false, to: from });
        } else {
          expect(result).toMatchObject({ ok: true, changed: true, from, to: expected });
        }
      });
    }
  }

  it('emits the event of the state it enters, once', () => {
    const result = transition('pending', { kind: 'paid' });
    expect(result.ok && result.changed && result.effects.filter((e) => e.kind === 'emit')).toEqual([{ kind: 'emit', eventType: 'charge.succeeded' }]);
  });

  it('a second identical notify changes nothing and emits nothing', () => {
    const first = transition('pending', { kind: 'paid' });
    expect(first.ok && first.to).toBe('succeeded');
    const second = transition('succeeded', { kind: 'paid' });
    expect(second).toMatchObject({ ok: true, changed: false, effects: [] });
  });

  it('for any sequence of events, states never go backwards and at most one success happens', () => {
    const eventArb = fc.constantFrom(...EVENTS);
    fc.assert(fc.property(fc.array(eventArb, { maxLength: 30 }), (events) => {
      let state: ChargeStatus = 'created';
      let successes = 0;
      let paidSeen = false;
      for (const event of events) {
        const result = transition(state, event);
        if (!result.ok) continue;
        if (result.changed) {
          expect(STATUS_RANK[result.to]).toBeGreaterThan(STATUS_RANK[state]);
          if (result.to === 'succeeded') successes++;
          // once paid, a charge never becomes unpaid (closed only from unpaid states)
          if (paidSeen) expect(isPaid(result.to)).toBe(true);
          state = result.to;
          paidSeen ||= isPaid(state);
        }
      }
      expect(successes).toBeLessThanOrEqual(1);
    }), { numRuns: 2000 });
  });
});
