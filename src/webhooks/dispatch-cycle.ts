/**
 * The database half of one dispatcher cycle: record the results that came in, fan out queued
 * events, claim due deliveries and read what sending them needs (bodies, signing secrets).
 *
 * SQLite: one transaction for all of it — the driver is synchronous and every commit is an fsync,
 * so one commit per cycle is what keeps the rate up. PostgreSQL: recording (one statement) runs
 * beside fan-out-then-claim on another connection (the claim is one statement too), so a cycle
 * waits for the slower of two short chains of round trips, not their sum.
 */
import type { Kysely } from 'kysely';
import type { Schema } from '../store/schema.js';
import type { EngineDeps } from '../engine/deps.js';
import { fanOutQueued } from './fanout.js';
import { claimBatch, recordOutcomes, type ClaimedDelivery, type SendOutcome } from './delivery-claims.js';
import { signingSecrets } from './endpoints.js';

export interface CycleSettings {
  readonly schedule: readonly number[];
  readonly leaseMs: number;
  readonly batchSize: number;
  readonly dispatcherId: string;
}

export interface CycleWork {
  readonly recording: readonly SendOutcome[];
  readonly fanOut: boolean;
  /** How many deliveries to claim at most. */
  readonly free: number;
}

export interface Claimed {
  readonly deliveries: ClaimedDelivery[];
  readonly secrets: Map<string, string[]>;
  readonly bodies: Map<string, string>;
}

export interface CycleOutcome {
  readonly fannedOut: number;
  /** Whether `recording` was written (if not, the caller keeps the results for next time). */
  readonly recorded: boolean;
  readonly claimed: Claimed;
  /** The first failure, after whatever did succeed was returned. */
  readonly error?: unknown;
}

const NOTHING: Claimed = { deliveries: [], secrets: new Map(), bodies: new Map() };

async function fanOutAndClaim(deps: EngineDeps, db: Kysely<Schema>, settings: CycleSettings, work: CycleWork): Promise<{ fannedOut: number; claimed: Claimed }> {
  const { dialect } = deps.database;
  let fannedOut = 0;
  if (work.fanOut) {
    const run = (trx: Kysely<Schema>) => fanOutQueued(trx, dialect, deps.clock.now(), { limit: settings.batchSize, firstDelayMs: settings.schedule[0]! });
    // Inside the caller's transaction on SQLite; a transaction of its own on PostgreSQL.
    fannedOut = (dialect === 'sqlite' ? await run(db) : await deps.database.transaction(run)).events;
  }
  const now = deps.clock.now();
  const batch = await claimBatch({ db, dialect, now }, { limit: work.free, leaseMs: settings.leaseMs, dispatcherId: settings.dispatcherId });
  if (batch.deliveries.length === 0) return { fannedOut, claimed: NOTHING };
  // Secrets are opened once per batch, not once per send.
  const secrets = new Map([...batch.endpoints].map(([id, row]) => [id, signingSecrets(deps, row, now)]));
  return { fannedOut, claimed: { deliveries: batch.deliveries, secrets, bodies: batch.bodies } };
}

export async function runCycle(deps: EngineDeps, settings: CycleSettings, work: CycleWork): Promise<CycleOutcome> {
  const { database } = deps;
  const record = (db: Kysely<Schema>) => recordOutcomes({ db, dialect: database.dialect, now: deps.clock.now() }, work.recording, settings);

  if (database.dialect === 'sqlite') {
    // All or nothing: a failure leaves nothing written and nothing claimed.
    try {
      return await database.transaction(async (trx) => {
        await record(trx);
        return { recorded: true, ...(await fanOutAndClaim(deps, trx, settings, work)) };
      });
    } catch (error) {
      return { recorded: false, fannedOut: 0, claimed: NOTHING, error };
    }
  }

  const [recorded, claimed] = await Promise.allSettled([
    record(database.db),
    fanOutAndClaim(deps, database.db, settings, work),
  ]);
  return {
    recorded: recorded.status === 'fulfilled',
    fannedOut: claimed.status === 'fulfilled' ? claimed.value.fannedOut : 0,
    claimed: claimed.status === 'fulfilled' ? claimed.value.claimed : NOTHING,
    ...(recorded.status === 'rejected' ? { error: recorded.reason } : claimed.status === 'rejected' ? { error: claimed.reason } : {}),
  };
}
