/** An engine on a fresh database plus the helpers webhook tests share. */
import { engineFixture, chargeInput, type EngineFixture } from '../../support/engine.js';
import type { TestDialect } from '../../support/dialects.js';
import type { ChargeObject } from '../../../src/engine/api-types.js';
import type { DeliveryRow } from '../../../src/webhooks/delivery-claims.js';
import { fanOutBatch } from '../../../src/webhooks/fanout.js';
import type { Dispatcher } from '../../../src/webhooks/dispatcher.js';
import type { Database } from '../../../src/store/database.js';
import type { Receiver } from './receiver.js';

export interface WebhookFixture extends EngineFixture {
  /** Creates a test charge and pays it (events: created, pending, succeeded). */
  paidCharge(overrides?: Record<string, unknown>): Promise<ChargeObject>;
  deliveries(): Promise<DeliveryRow[]>;
  /** Polls until `check` holds for the deliveries (or fails after `timeoutMs`). */
  waitForDeliveries(check: (rows: DeliveryRow[]) => boolean, timeoutMs?: number): Promise<DeliveryRow[]>;
}

export async function webhookFixture(dialect: TestDialect): Promise<WebhookFixture> {
  const fx = await engineFixture(dialect);
  // The fixture's own setup events (channel.enabled) are history: fan them out before any endpoint exists.
  await fanOutBatch(fx.paygate.deps, { limit: 1000, firstDelayMs: 0 });
  const deliveries = () => fx.database.db.selectFrom('webhook_deliveries').selectAll().orderBy('event_seq').orderBy('target').execute();
  return {
    ...fx,
    async paidCharge(overrides = {}) {
      const charge = await fx.paygate.charges.create(fx.scope, chargeInput(overrides));
      return fx.paygate.charges.simulate(fx.scope, charge.id, 'paid');
    },
    deliveries,
    async waitForDeliveries(check, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const rows = await deliveries();
        if (check(rows)) return rows;
        if (Date.now() > deadline) throw new Error(`deliveries never reached the expected state: ${JSON.stringify(rows.map((r) => [r.event_type, r.target, r.status, r.attempt_count]))}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
  };
}

/** What a dispatcher test opens besides its fixture, closed after each test in this order. */
export interface DispatchTestParts {
  readonly dispatchers: Dispatcher[];
  readonly extraDatabases: Database[];
}

export async function closeDispatchTest(parts: DispatchTestParts, receiver: Receiver | undefined, fx: WebhookFixture | undefined): Promise<void> {
  for (const d of parts.dispatchers.splice(0)) await d.stop();
  for (const db of parts.extraDatabases.splice(0)) await db.close();
  await receiver?.close();
  await fx?.close();
}
