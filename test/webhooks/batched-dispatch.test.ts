/**
 * The dispatcher's batching: a fan-out writes the deliveries due at once already claimed, results
 * are recorded many to a statement, and several dispatchers racing over one backlog still send
 * each attempt once. A failing send inside a batch is that delivery's business alone.
 */
import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { chargeInput } from '../support/engine.js';
import { closeAfterEach, ownPoolDeps, webhookFixture } from './support/fixture.js';
import { startReceiver } from './support/receiver.js';
import { createDispatcher } from '../../src/webhooks/dispatcher.js';
import { createEndpoint } from '../../src/webhooks/endpoints.js';
import { fanOutQueued } from '../../src/webhooks/fanout.js';
import { recordOutcomes } from '../../src/webhooks/delivery-claims.js';

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`batched dispatch (${dialect.name})`, () => {
    const track = closeAfterEach();

    it('a fan-out writes the deliveries it takes already claimed, the rest due and unclaimed', async () => {
      const fx = track(await webhookFixture(dialect));
      await createEndpoint(fx.paygate.deps, fx.scope, { url: 'http://127.0.0.1:9/hooks', events: ['charge.created', 'charge.pending'] });
      for (let i = 0; i < 2; i++) await fx.paygate.charges.create(fx.scope, chargeInput());
      const now = Date.now();
      const result = await fx.database.transaction((trx) => fanOutQueued(trx, fx.database.dialect, now, { limit: 10, firstDelayMs: 0, claim: { max: 3, permit: 3, token: 'test-dispatcher/lease', leaseUntil: now + 60_000 } }));

      expect(result).toMatchObject({ events: 4, deliveries: 4 });
      expect(result.claimed).toHaveLength(3);
      const rows = await fx.deliveries();
      expect(rows).toHaveLength(4);
      const byId = new Map(rows.map((r) => [r.id, r]));
      for (const { delivery, body, endpoint } of result.claimed) {
        // What was written is exactly what the dispatcher holds in memory.
        // Held until the lease ends: only then is it due again (if no result was recorded).
        expect(byId.get(delivery.id)).toMatchObject({ ...delivery, lease_until: now + 60_000, last_attempt_at: now, next_attempt_at: now + 60_000 });
        expect(delivery).toMatchObject({ status: 'pending', attempt_count: 1, round_attempts: 1, lease_token: 'test-dispatcher/lease', stale_lease_token: null });
        expect(JSON.parse(body)).toMatchObject({ id: delivery.event_id, type: delivery.event_type });
        expect(endpoint?.id).toBe(delivery.endpoint_id);
      }
      const unclaimed = rows.filter((r) => !result.claimed.some((c) => c.delivery.id === r.id));
      expect(unclaimed).toEqual([expect.objectContaining({ status: 'pending', attempt_count: 0, lease_token: null, lease_until: null, next_attempt_at: now })]);
      expect(await fx.database.db.selectFrom('webhook_fanout').selectAll().execute()).toEqual([]);
    });

    it('records a batch: one attempt per result, and a delivery only while its lease is still ours', async () => {
      const fx = track(await webhookFixture(dialect));
      await createEndpoint(fx.paygate.deps, fx.scope, { url: 'http://127.0.0.1:9/hooks', events: ['charge.created', 'charge.pending'] });
      await fx.paygate.charges.create(fx.scope, chargeInput());
      const now = Date.now();
      const { claimed } = await fx.database.transaction((trx) => fanOutQueued(trx, fx.database.dialect, now, { limit: 10, firstDelayMs: 0, claim: { max: 2, permit: 2, token: 'd/lease', leaseUntil: now + 60_000 } }));
      expect(claimed).toHaveLength(2);
      const [kept, lost] = claimed.map((c) => c.delivery);
      // Someone else took the second delivery over meanwhile (its lease ran out).
      await fx.database.db.updateTable('webhook_deliveries').set({ lease_token: 'other/lease' }).where('id', '=', lost!.id).execute();
      const outcome = { startedAt: now, durationMs: 3, httpStatus: 200, excerpt: 'SUCCESS', error: null, succeeded: true };
      await fx.database.transaction((trx) => recordOutcomes({ db: trx, dialect: fx.database.dialect, now }, [{ ...outcome, delivery: kept! }, { ...outcome, delivery: lost!, httpStatus: 500, excerpt: 'no', error: 'answered 500', succeeded: false }], { schedule: [0, 1000], dispatcherId: 'd' }));

      const rows = new Map((await fx.deliveries()).map((r) => [r.id, r]));
      expect(rows.get(kept!.id)).toMatchObject({ status: 'succeeded', lease_token: null, lease_until: null, last_http_status: 200, completed_at: now });
      expect(rows.get(lost!.id)).toMatchObject({ status: 'pending', lease_token: 'other/lease', last_http_status: null });
      const attempts = await fx.database.db.selectFrom('webhook_attempts').selectAll().orderBy('http_status').execute();
      expect(attempts.map((a) => [a.delivery_id, a.attempt_no, a.http_status, a.succeeded, a.dispatcher])).toEqual([[kept!.id, 1, 200, 1, 'd'], [lost!.id, 1, 500, 0, 'd']]);
      expect(attempts[1]).toMatchObject({ error: 'answered 500', response_excerpt: 'no', url: lost!.url, event_id: lost!.event_id, started_at: now, duration_ms: 3 });
    });

    it('a failing send inside a batch does not hold up or change the others', async () => {
      const fx = track(await webhookFixture(dialect));
      let failedOnce = false;
      let doomed: string | undefined;
      const receiver = track(await startReceiver((request) => {
        const id = String(request.headers['paygate-event-id']);
        doomed ??= id;
        if (id === doomed && !failedOnce) {
          failedOnce = true;
          return { status: 503, body: 'busy' };
        }
        return { status: 200, body: 'SUCCESS' };
      }));
      await createEndpoint(fx.paygate.deps, fx.scope, { url: receiver.url, events: ['charge.created', 'charge.pending'] });
      for (let i = 0; i < 60; i++) await fx.paygate.charges.create(fx.scope, chargeInput());
      track(createDispatcher(fx.paygate.deps, { schedule: [0, 50], pollIntervalMs: 20, concurrency: 8 })).start();

      const rows = await fx.waitForDeliveries((all) => all.length === 120 && all.every((d) => d.status === 'succeeded'), 30_000);
      const attempts = await fx.database.db.selectFrom('webhook_attempts').selectAll().execute();
      expect(attempts).toHaveLength(121);
      for (const delivery of rows) {
        const mine = attempts.filter((a) => a.delivery_id === delivery.id).sort((a, b) => a.attempt_no - b.attempt_no);
        if (delivery.event_id === doomed) {
          expect(mine.map((a) => [a.attempt_no, a.http_status, a.succeeded])).toEqual([[1, 503, 0], [2, 200, 1]]);
        } else {
          expect(mine.map((a) => [a.attempt_no, a.http_status, a.succeeded])).toEqual([[1, 200, 1]]);
        }
      }
    }, 45_000);

    it('dispatchers racing over one backlog send each attempt once', async () => {
      const fx = track(await webhookFixture(dialect));
      const seen = new Map<string, number>();
      const receiver = track(await startReceiver((request) => {
        const key = `${request.path} ${request.headers['paygate-event-id']} #${request.headers['paygate-delivery-attempt']}`;
        seen.set(key, (seen.get(key) ?? 0) + 1);
        return { status: 200, body: 'SUCCESS', delayMs: 1 };
      }));
      await createEndpoint(fx.paygate.deps, fx.scope, { url: `${receiver.url}/a`, events: ['charge.created', 'charge.pending'] });
      await createEndpoint(fx.paygate.deps, fx.scope, { url: `${receiver.url}/b`, events: ['charge.pending'] });
      // The backlog is written before any dispatcher runs, so all of them fan out the same queue.
      for (let i = 0; i < 100; i++) await fx.paygate.charges.create(fx.scope, chargeInput());
      const dispatchers = [0, 1, 2].map(() => track(createDispatcher(ownPoolDeps(fx, track), { schedule: [0, 50], pollIntervalMs: 20, concurrency: 4, batchSize: 16 })));
      for (const dispatcher of dispatchers) dispatcher.start();

      const rows = await fx.waitForDeliveries((all) => all.length === 300 && all.every((d) => d.status === 'succeeded'), 60_000);
      expect(rows.every((d) => d.attempt_count === 1)).toBe(true);
      expect([...seen.values()].every((n) => n === 1)).toBe(true);
      expect(seen.size).toBe(300);
      const attempts = await fx.database.db.selectFrom('webhook_attempts').selectAll().execute();
      expect(attempts).toHaveLength(300);
      expect(new Set(attempts.map((a) => a.delivery_id)).size).toBe(300);
    }, 90_000);
  });
}
