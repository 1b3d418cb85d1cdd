/** An engine on a fresh database plus the helpers webhook tests share. */
import { afterEach } from 'vitest';
import { engineFixture, chargeInput, type EngineFixture } from '../../support/engine.js';
import type { TestDialect } from '../../support/dialects.js';
import type { ChargeObject } from '../../../src/engine/api-types.js';
import type { DeliveryRow } from '../../../src/webhooks/delivery-claims.js';
import { fanOutBatch } from '../../../src/webhooks/fanout.js';
import type { EngineDeps } from '../../../src/engine/deps.js';
import { openDatabase } from '../../../src/store/database.js';

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

/** What a test opens and must close: a fixture, a receiver, a database, or a dispatcher (stopped). */
type Closable = { close(): Promise<void> } | { stop(): Promise<void> };
export type Track = <T extends Closable>(thing: T) => T;

/**
 * Registers an `afterEach` that closes everything handed to the returned `track`, last opened
 * first (so a dispatcher stops before the database it uses closes), and answers `track`.
 */
export function closeAfterEach(): Track {
  const open: Closable[] = [];
  afterEach(async () => {
    for (const thing of open.splice(0).reverse()) await ('stop' in thing ? thing.stop() : thing.close());
  });
  return (thing) => {
    open.push(thing);
    return thing;
  };
}

/** Deps for one more dispatcher on `fx`'s database: on PostgreSQL with its own pool, as another process would have. */
export function ownPoolDeps(fx: WebhookFixture, track: Track): EngineDeps {
  if (fx.database.dialect !== 'postgres') return fx.paygate.deps;
  return { ...fx.paygate.deps, database: track(openDatabase(fx.database.url)) };
}
