/**
 * Several dispatchers on one database (PostgreSQL: separate connection pools, as separate
 * processes would have) split the work and never have one delivery in flight twice: every
 * request the receiver sees is an attempt recorded exactly once, numbered without gaps.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { chargeInput } from '../support/engine.js';
import { closeDispatchTest, webhookFixture, type DispatchTestParts, type WebhookFixture } from './support/fixture.js';
import { startReceiver, type Receiver } from './support/receiver.js';
import { createDispatcher } from '../../src/webhooks/dispatcher.js';
import { createEndpoint } from '../../src/webhooks/endpoints.js';
import { openDatabase } from '../../src/store/database.js';

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`two dispatchers (${dialect.name})`, () => {
    let fx: WebhookFixture | undefined;
    let receiver: Receiver | undefined;
    const parts: DispatchTestParts = { dispatchers: [], extraDatabases: [] };
    const { dispatchers, extraDatabases } = parts;
    afterEach(async () => {
      await closeDispatchTest(parts, receiver, fx);
      fx = receiver = undefined;
    });

    it('never send one delivery twice at the same time, and share the work', async () => {
      fx = await webhookFixture(dialect);
      const inFlight = new Set<string>();
      const overlaps: string[] = [];
      const firstSeen = new Set<string>();
      receiver = await startReceiver(async (request) => {
        const key = `${request.headers['paygate-event-id']}`;
        if (inFlight.has(key)) overlaps.push(key);
        inFlight.add(key);
        await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20));
        inFlight.delete(key);
        // Every event's first attempt fails once in three, so retries race with new work too.
        const retry = !firstSeen.has(key) && key.charCodeAt(key.length - 1) % 3 === 0;
        firstSeen.add(key);
        return retry ? { status: 500, body: 'try again' } : { status: 200, body: 'SUCCESS' };
      });
      await createEndpoint(fx.paygate.deps, fx.scope, { url: receiver.url, events: ['charge.created', 'charge.pending'] });
      for (let i = 0; i < 150; i++) await fx.paygate.charges.create(fx.scope, chargeInput());

      const options = { schedule: [0, 50, 50], pollIntervalMs: 20, concurrency: 8 };
      for (let i = 0; i < 2; i++) {
        // On PostgreSQL each dispatcher gets its own engine and pool, like a separate process.
        let deps = fx.paygate.deps;
        if (dialect.name === 'postgres') {
          const database = openDatabase(fx.database.url);
          extraDatabases.push(database);
          deps = { ...fx.paygate.deps, database };
        }
        const dispatcher = createDispatcher(deps, options);
        dispatchers.push(dispatcher);
        dispatcher.start();
      }

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
