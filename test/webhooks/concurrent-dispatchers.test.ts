/**
 * Several dispatchers on one database (PostgreSQL: separate connection pools, as separate
 * processes would have) split the work and never have one delivery in flight twice: every
 * request the receiver sees is an attempt recorded exactly once, numbered without gaps.
 */
import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { chargeInput } from '../support/engine.js';
import { closeAfterEach, ownPoolDeps, webhookFixture } from './support/fixture.js';
import { startReceiver } from './support/receiver.js';
import { createDispatcher } from '../../src/webhooks/dispatcher.js';
import { createEndpoint } from '../../src/webhooks/endpoints.js';

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`two dispatchers (${dialect.name})`, () => {
    const track = closeAfterEach();

    it('never send one delivery twice at the same time, and share the work', async () => {
      const fx = track(await webhookFixture(dialect));
      const inFlight = new Set<string>();
      const overlaps: string[] = [];
      const firstSeen = new Set<string>();
      const receiver = track(await startReceiver(async (request) => {
        const key = `${request.headers['paygate-event-id']}`;
        if (inFlight.has(key)) overlaps.push(key);
        inFlight.add(key);
        await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20));
        inFlight.delete(key);
        // Every event's first attempt fails once in three, so retries race with new work too.
        const retry = !firstSeen.has(key) && key.charCodeAt(key.length - 1) % 3 === 0;
        firstSeen.add(key);
        return retry ? { status: 500, body: 'try again' } : { status: 200, body: 'SUCCESS' };
      }));
      await createEndpoint(fx.paygate.deps, fx.scope, { url: receiver.url, events: ['charge.created', 'charge.pending'] });
      for (let i = 0; i < 150; i++) await fx.paygate.charges.create(fx.scope, chargeInput());

      const options = { schedule: [0, 50, 50], pollIntervalMs: 20, concurrency: 8 };
      const dispatchers = [0, 1].map(() => track(createDispatcher(ownPoolDeps(fx, track), options)));
      for (const dispatcher of dispatchers) dispatcher.start();

      const rows = await fx.waitForDeliveries((all) => all.length === 300 && all.every((d) => d.status === 'succeeded'), 60_000);
      expect(overlaps).toEqual([]);
      const attempts = await fx.database.db.selectFrom('webhook_attempts').selectAll().execute();
      expect(attempts).toHaveLength(receiver.requests.length);
      for (const delivery of rows) {
        const numbers = attempts.filter((a) => a.delivery_id === delivery.id).map((a) => a.attempt_no).sort((a, b) => a - b);
        expect(numbers).toEqual(Array.from({ length: delivery.attempt_count }, (_, i) => i + 1));
      }
      expect(attempts.some((a) => a.http_status === 500)).toBe(true);
      expect(new Set(attempts.map((a) => a.dispatcher)).size).toBe(2);
      expect(dispatchers[0]!.stats.sent).toBeGreaterThan(0);
      expect(dispatchers[1]!.stats.sent).toBeGreaterThan(0);
    }, 90_000);
  });
}
