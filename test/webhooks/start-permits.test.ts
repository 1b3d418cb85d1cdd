/**
 * Start permits (delivery-permits.ts): a delivery is sent only once its attempt is counted. After
 * a crash, simulated here by leaving a dead dispatcher's claims and permits unrecorded and moving
 * a second dispatcher's clock past their lease, only the permitted deliveries (which may have
 * been sent) get an interrupted attempt; the claimed-only ones are sent again with no attempt
 * stored and their schedule step unspent. Giving deliveries back undoes their permits.
 */
import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { chargeInput } from '../support/engine.js';
import { closeAfterEach, webhookFixture, type WebhookFixture } from './support/fixture.js';
import { startReceiver } from './support/receiver.js';
import { manualClock } from '../../src/core/clock.js';
import { createDispatcher } from '../../src/webhooks/dispatcher.js';
import { createEndpoint } from '../../src/webhooks/endpoints.js';
import { fanOutQueued } from '../../src/webhooks/fanout.js';
import { claimBatch, releaseClaims, type ClaimedDelivery } from '../../src/webhooks/delivery-claims.js';
import { permitSends } from '../../src/webhooks/delivery-permits.js';

const LEASE_MS = 30_000;
const INTERRUPTED = 'no result recorded%';

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`start permits (${dialect.name})`, () => {
    const track = closeAfterEach();

    /** Six due deliveries (three charges, two events each) to `url`. */
    async function sixEvents(url: string): Promise<WebhookFixture> {
      const f = await webhookFixture(dialect);
      await createEndpoint(f.paygate.deps, f.scope, { url, events: ['charge.created', 'charge.pending'] });
      for (let i = 0; i < 3; i++) await f.paygate.charges.create(f.scope, chargeInput());
      return f;
    }

    /**
     * A dispatcher that dies holding six deliveries, three of them permitted: by the fan-out, by a
     * claim of due deliveries, and by a top-up permit write.
     */
    async function dieHolding(f: WebhookFixture, now: number): Promise<{ permitted: string[]; claimedOnly: string[] }> {
      const { dialect: name } = f.database;
      const fannedOut = await f.database.transaction((trx) => fanOutQueued(trx, name, now, { limit: 10, firstDelayMs: 0, claim: { max: 4, permit: 1, token: 'dead/fanout', leaseUntil: now + LEASE_MS } }));
      const claimed = await f.database.transaction((trx) => claimBatch({ db: trx, dialect: name, now }, { limit: 10, permit: 1, leaseMs: LEASE_MS, dispatcherId: 'dead' }));
      expect(fannedOut.claimed).toHaveLength(4);
      expect(claimed.deliveries).toHaveLength(2);
      const held: ClaimedDelivery[] = [...fannedOut.claimed.map((c) => c.delivery), ...claimed.deliveries];
      const toppedUp = await permitSends({ db: f.database.db, dialect: name, now }, [held.find((d) => d.permit_token === null)!]);
      expect(toppedUp).toEqual([expect.objectContaining({ attempt_count: 1, round_attempts: 1, permit_token: 'dead/fanout' })]);
      const permitted = new Set([...held.filter((d) => d.permit_token !== null), ...toppedUp].map((d) => d.id));
      return { permitted: [...permitted], claimedOnly: held.filter((d) => !permitted.has(d.id)).map((d) => d.id) };
    }

    it('after a crash, only permitted deliveries get an interrupted attempt; claimed-only ones keep their schedule step', async () => {
      const receiver = track(await startReceiver());
      const fx = track(await sixEvents(receiver.url));
      const now = Date.now();
      const { permitted, claimedOnly } = await dieHolding(fx, now);
      expect(permitted).toHaveLength(3);
      expect(claimedOnly).toHaveLength(3);
      const before = new Map((await fx.deliveries()).map((d) => [d.id, d]));
      for (const id of permitted) expect(before.get(id)).toMatchObject({ attempt_count: 1, round_attempts: 1, last_attempt_at: now, permit_token: expect.stringMatching(/^dead\//) });
      for (const id of claimedOnly) expect(before.get(id)).toMatchObject({ attempt_count: 0, round_attempts: 0, last_attempt_at: null, permit_token: null, lease_token: expect.stringMatching(/^dead\//) });

      // The next dispatcher runs once the dead one's leases have run out.
      const clock = manualClock(now + LEASE_MS + 1);
      const next = createDispatcher({ ...fx.paygate.deps, clock }, { leaseMs: LEASE_MS, timeoutMs: 2000, schedule: [0, 1000, 1000] });
      track(next);
      expect((await next.runOnce()).sent).toBe(6);
      expect(new Set(receiver.requests.map((r) => r.headers['paygate-event-id'])).size).toBe(6);

      const after = new Map((await fx.deliveries()).map((d) => [d.id, d]));
      const attempts = await fx.database.db.selectFrom('webhook_attempts').selectAll().orderBy('attempt_no').execute();
      const attemptsOf = (id: string) => attempts.filter((a) => a.delivery_id === id).map((a) => [a.attempt_no, a.succeeded, a.error?.startsWith('no result recorded') ? 'interrupted' : a.error]);
      for (const id of permitted) {
        expect(attemptsOf(id)).toEqual([[1, 0, 'interrupted'], [2, 1, null]]);
        expect(after.get(id)).toMatchObject({ status: 'succeeded', attempt_count: 2, round_attempts: 2, permit_token: null, lease_token: null, stale_lease_token: null });
      }
      for (const id of claimedOnly) {
        expect(attemptsOf(id)).toEqual([[1, 1, null]]);
        expect(after.get(id)).toMatchObject({ status: 'succeeded', attempt_count: 1, round_attempts: 1, permit_token: null, lease_token: null });
      }
      const interrupted = await fx.database.db.selectFrom('webhook_attempts').select('delivery_id').where('error', 'like', INTERRUPTED).execute();
      expect(interrupted.map((a) => a.delivery_id).sort()).toEqual([...permitted].sort());
    });

    it('a claim that takes over a dead lease without permitting records the interrupted attempt under its own number', async () => {
      const fx = track(await sixEvents('http://127.0.0.1:9/hooks'));
      const now = Date.now();
      const { permitted } = await dieHolding(fx, now);
      const later = now + LEASE_MS + 1;
      const { deliveries } = await claimBatch({ db: fx.database.db, dialect: fx.database.dialect, now: later }, { limit: 10, permit: 0, leaseMs: LEASE_MS, dispatcherId: 'next' });
      expect(deliveries).toHaveLength(6);
      for (const d of deliveries) {
        expect(d).toMatchObject({ permit_token: null, attempt_count: permitted.includes(d.id) ? 1 : 0, stale_lease_token: permitted.includes(d.id) ? expect.stringMatching(/^dead\//) : null });
      }
      const interrupted = await fx.database.db.selectFrom('webhook_attempts').select(['delivery_id', 'attempt_no', 'dispatcher']).where('error', 'like', INTERRUPTED).execute();
      expect(interrupted.map((a) => a.delivery_id).sort()).toEqual([...permitted].sort());
      expect(interrupted.every((a) => a.attempt_no === 1 && a.dispatcher === 'dead')).toBe(true);
    });

    it('giving deliveries back undoes their permits and nothing else', async () => {
      const fx = track(await sixEvents('http://127.0.0.1:9/hooks'));
      const now = Date.now();
      const { dialect: name } = fx.database;
      const { claimed } = await fx.database.transaction((trx) => fanOutQueued(trx, name, now, { limit: 10, firstDelayMs: 0, claim: { max: 6, permit: 2, token: 'd/lease', leaseUntil: now + LEASE_MS } }));
      await releaseClaims({ db: fx.database.db, dialect: name, now: now + 5 }, claimed.map((c) => c.delivery));
      const rows = await fx.deliveries();
      expect(rows).toHaveLength(6);
      for (const row of rows) {
        expect(row).toMatchObject({ status: 'pending', attempt_count: 0, round_attempts: 0, permit_token: null, lease_token: null, lease_until: null, next_attempt_at: now + 5 });
      }
    });

    it('a permit is written only under our lease', async () => {
      const fx = track(await sixEvents('http://127.0.0.1:9/hooks'));
      const now = Date.now();
      const { dialect: name } = fx.database;
      const { claimed } = await fx.database.transaction((trx) => fanOutQueued(trx, name, now, { limit: 10, firstDelayMs: 0, claim: { max: 2, permit: 0, token: 'd/lease', leaseUntil: now + LEASE_MS } }));
      const [kept, lost] = claimed.map((c) => c.delivery);
      // The second one's lease ran out and someone else took it over.
      await fx.database.db.updateTable('webhook_deliveries').set({ lease_token: 'other/lease' }).where('id', '=', lost!.id).execute();
      const granted = await permitSends({ db: fx.database.db, dialect: name, now }, [kept!, lost!]);
      expect(granted.map((d) => d.id)).toEqual([kept!.id]);
      const rows = new Map((await fx.deliveries()).map((d) => [d.id, d]));
      expect(rows.get(kept!.id)).toMatchObject({ attempt_count: 1, round_attempts: 1, permit_token: 'd/lease' });
      expect(rows.get(lost!.id)).toMatchObject({ attempt_count: 0, round_attempts: 0, permit_token: null });
    });

    it('a stopping dispatcher gives back what it held unsent with no attempt counted', async () => {
      const receiver = track(await startReceiver(() => ({ status: 200, body: 'SUCCESS', delayMs: 300 })));
      const fx = track(await sixEvents(receiver.url));
      const dispatcher = createDispatcher(fx.paygate.deps, { concurrency: 1, pollIntervalMs: 20, schedule: [0, 1000] });
      track(dispatcher);
      dispatcher.start();
      await receiver.waitFor(1, 10_000);
      await dispatcher.stop();

      const rows = await fx.deliveries();
      const sent = rows.filter((d) => d.status === 'succeeded');
      expect(sent.length).toBeGreaterThanOrEqual(1);
      expect(receiver.requests).toHaveLength(sent.length);
      for (const row of rows.filter((d) => d.status !== 'succeeded')) {
        expect(row).toMatchObject({ status: 'pending', attempt_count: 0, round_attempts: 0, permit_token: null, lease_token: null });
      }
      const attempts = await fx.database.db.selectFrom('webhook_attempts').selectAll().execute();
      expect(attempts).toHaveLength(sent.length);
    });
  });
}
