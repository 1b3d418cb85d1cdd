/**
 * The database half of the dispatcher: take work (claim due deliveries, fan out queued events
 * and take the new deliveries that are due at once), permit sends (delivery-permits.ts), record
 * results, give back unsent claims.
 * Each runs on the handle it is given: the SQLite dispatcher runs all three in one transaction
 * (one commit, one fsync, per cycle); the PostgreSQL one runs recording and taking work side by
 * side on the pool, each a statement or two, so neither waits for the other's round trips.
 */
import type { Kysely } from 'kysely';
import type { Schema } from '../store/schema.js';
import type { EngineDeps } from '../engine/deps.js';
import { randomBase62 } from '../core/ids.js';
import { fanOutQueued } from './fanout.js';
import { claimBatch, payloadKey, recordOutcomes, releaseClaims, type ClaimedDelivery, type SendOutcome } from './delivery-claims.js';
import { signingSecrets, type EndpointRow } from './endpoints.js';
import { permitSends } from './delivery-permits.js';

export interface CycleSettings {
  readonly schedule: readonly number[];
  readonly leaseMs: number;
  /** Most events fanned out by one take. */
  readonly batchSize: number;
  readonly dispatcherId: string;
}

/** A claimed delivery with what sending it needs. */
export interface ReadyDelivery {
  readonly delivery: ClaimedDelivery;
  readonly body: string | undefined;
  readonly secrets: string[] | undefined;
}

export interface TakeWork {
  /** Claim deliveries that are due (retries, resends, expired leases, delayed first sends). */
  readonly claimDue: boolean;
  /** Fan out queued events. */
  readonly fanOut: boolean;
  /** How many deliveries to take at most (0: fan out without taking any). */
  readonly max: number;
  /** How many of them (the first taken) to permit in the same statements. */
  readonly permit: number;
}

export interface TakeResult {
  readonly ready: ReadyDelivery[];
  readonly fannedOut: number;
  /** The fan-out took as many events as it could: more may be queued. */
  readonly moreQueued: boolean;
  /** The claim took as many as it could: more may be due. */
  readonly moreDue: boolean;
  /** A failure after part of the work was done (what was taken is in `ready`). */
  readonly error?: unknown;
}

type SecretRow = Pick<EndpointRow, 'secret' | 'previous_secret' | 'previous_secret_expires_at'>;

export interface Cycle {
  take(db: Kysely<Schema>, work: TakeWork): Promise<TakeResult>;
  /** Permits held deliveries; answers those still ours, permitted. */
  permit(db: Kysely<Schema>, deliveries: readonly ClaimedDelivery[]): Promise<ClaimedDelivery[]>;
  record(db: Kysely<Schema>, outcomes: readonly SendOutcome[]): Promise<void>;
  release(db: Kysely<Schema>, deliveries: readonly ClaimedDelivery[]): Promise<void>;
}

export function createCycle(deps: EngineDeps, settings: CycleSettings): Cycle {
  const { dialect } = deps.database;
  // Opening a sealed secret is a decryption; endpoints repeat, so each is opened once. The key
  // is the sealed text, so a rolled secret is a new entry and the overlap still follows `now`.
  const opened = new Map<string, string>();
  const keys = {
    secrets: {
      open(sealed: string): string {
        let secret = opened.get(sealed);
        if (secret === undefined) {
          secret = deps.secrets.open(sealed);
          if (opened.size >= 1000) opened.clear();
          opened.set(sealed, secret);
        }
        return secret;
      },
    },
  };
  const secretsOf = (row: SecretRow | undefined, now: number) => (row ? signingSecrets(keys, row, now) : undefined);

  async function claimDue(db: Kysely<Schema>, limit: number, permit: number, now: number): Promise<{ ready: ReadyDelivery[]; full: boolean }> {
    const batch = await claimBatch({ db, dialect, now }, { limit, permit, leaseMs: settings.leaseMs, dispatcherId: settings.dispatcherId });
    const ready = batch.deliveries.map((delivery) => ({
      delivery,
      body: batch.bodies.get(payloadKey(delivery)),
      secrets: delivery.endpoint_id ? secretsOf(batch.endpoints.get(delivery.endpoint_id), now) : undefined,
    }));
    return { ready, full: batch.deliveries.length >= limit };
  }

  return {
    async take(db, work) {
      const ready: ReadyDelivery[] = [];
      let moreDue = false;
      let fannedOut = 0;
      let moreQueued = false;
      try {
        const now = deps.clock.now();
        if (work.claimDue && work.max > 0) {
          const due = await claimDue(db, work.max, work.permit, now);
          ready.push(...due.ready);
          moreDue = due.full;
        }
        const room = work.max - ready.length;
        if (work.fanOut && (room > 0 || work.max === 0)) {
          // Taking work: fan out about as many events as there is room for, so the new
          // deliveries are written claimed and none wait for a second statement to claim them.
          const limit = work.max === 0 ? settings.batchSize : Math.min(settings.batchSize, room);
          const result = await fanOutQueued(db, dialect, now, {
            limit, firstDelayMs: settings.schedule[0]!,
            claim: room > 0 ? { max: room, permit: Math.max(0, work.permit - ready.length), token: `${settings.dispatcherId}/${randomBase62(10)}`, leaseUntil: now + settings.leaseMs } : undefined,
          });
          fannedOut = result.events;
          moreQueued = result.events >= limit;
          for (const claimed of result.claimed) ready.push({ delivery: claimed.delivery, body: claimed.body, secrets: secretsOf(claimed.endpoint, now) });
        }
      } catch (error) {
        return { ready, fannedOut, moreQueued: true, moreDue: true, error };
      }
      return { ready, fannedOut, moreQueued, moreDue };
    },
    permit(db, deliveries) {
      return permitSends({ db, dialect, now: deps.clock.now() }, deliveries);
    },
    record(db, outcomes) {
      return recordOutcomes({ db, dialect, now: deps.clock.now() }, outcomes, settings);
    },
    release(db, deliveries) {
      return releaseClaims({ db, dialect, now: deps.clock.now() }, deliveries);
    },
  };
}
