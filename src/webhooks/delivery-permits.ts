/**
 * Start permits: a claimed delivery is sent only after this write made its attempt durable.
 *
 * Claiming takes ownership only; the permit counts the attempt (attempt_count, round_attempts,
 * last_attempt_at) and marks the row (`permit_token` = its lease), for many deliveries in one
 * statement, under our leases. A crash therefore leaves two kinds of held rows: permitted ones,
 * which may have been sent (the next claim records an interrupted attempt, delivery-claims.ts),
 * and claimed-only ones, which certainly were not (sent again as if never taken). The
 * dispatcher permits ahead of the free send slots, so a send does not wait for this write.
 */
import type { ClaimedDelivery, Store } from './delivery-claims.js';

/**
 * Permits `deliveries` (held, not yet permitted). Answers them as permitted, each with the number
 * of the attempt it makes; one missing from the answer is no longer ours (its lease was taken
 * over) and must not be sent.
 */
export async function permitSends(store: Store, deliveries: readonly ClaimedDelivery[]): Promise<ClaimedDelivery[]> {
  if (deliveries.length === 0) return [];
  const leases = [...new Set(deliveries.map((d) => d.lease_token))];
  const rows = await store.db.updateTable('webhook_deliveries')
    .set((eb) => ({
      permit_token: eb.ref('lease_token'),
      attempt_count: eb('attempt_count', '+', 1),
      round_attempts: eb('round_attempts', '+', 1),
      last_attempt_at: store.now,
      updated_at: store.now,
    }))
    // Every lease listed is ours, so a row held under any of them is one of ours.
    .where('id', 'in', deliveries.map((d) => d.id)).where('lease_token', 'in', leases).where('permit_token', 'is', null)
    .returning(['id', 'attempt_count', 'round_attempts'])
    .execute();
  const counted = new Map(rows.map((r) => [r.id, r]));
  return deliveries.flatMap((d) => {
    const row = counted.get(d.id);
    return row ? [{ ...d, permit_token: d.lease_token, attempt_count: row.attempt_count, round_attempts: row.round_attempts }] : [];
  });
}
