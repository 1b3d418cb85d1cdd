/**
 * What a dispatcher is given and what it offers (dispatcher.ts), and the constants that set how
 * far ahead it takes work and how long results wait to share a write.
 */
import type { ChargeBus } from '../engine/charge-bus.js';
import { DEFAULT_WEBHOOK_TIMEOUT_MS, type WebhookSender } from './http-sender.js';
import type { SendOutcome } from './delivery-claims.js';
import { DEFAULT_RETRY_SCHEDULE_MS, validateSchedule } from './retry-schedule.js';

export interface DispatcherOptions {
  /** Delays of the sends, ms (default 0, 2m, 10m, 10m, 1h, 2h, 6h, 15h). */
  readonly schedule?: readonly number[];
  /** Deadline of one send, ms (default 10 s). */
  readonly timeoutMs?: number;
  /** Sends in flight at once (default 32). */
  readonly concurrency?: number;
  /** Longest sleep between looks at the database, ms (default 500). */
  readonly pollIntervalMs?: number;
  /** How long a claim holds a delivery, ms; must exceed twice `timeoutMs` (default 4 × timeout + 10 s). */
  readonly leaseMs?: number;
  /** Events fanned out at most by one take (default 1000). */
  readonly batchSize?: number;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** A sender to use instead of a new one (the benchmark shares one with its bare loop). */
  readonly sender?: WebhookSender;
  /** The in-process bus to wake on (`paygate.bus`). */
  readonly bus?: ChargeBus;
  /** Called after each recorded attempt (the CLI prints a line). */
  readonly onAttempt?: (outcome: SendOutcome) => void;
  /** Called when a cycle fails (database unreachable…); the dispatcher keeps going. */
  readonly onError?: (error: unknown) => void;
}

/** The options with their defaults filled in, checked. */
export function dispatcherSettings(options: DispatcherOptions) {
  const timeoutMs = options.timeoutMs ?? DEFAULT_WEBHOOK_TIMEOUT_MS;
  const leaseMs = options.leaseMs ?? 4 * timeoutMs + 10_000;
  if (leaseMs <= 2 * timeoutMs) throw new Error(`the lease (${leaseMs} ms) must be longer than twice the send deadline (${timeoutMs} ms): a claimed delivery may wait one deadline for a free slot`);
  return {
    schedule: validateSchedule(options.schedule ?? DEFAULT_RETRY_SCHEDULE_MS),
    timeoutMs, leaseMs, concurrency: options.concurrency ?? 32, pollIntervalMs: options.pollIntervalMs ?? 500,
  };
}

export interface Dispatcher {
  readonly id: string;
  start(): void;
  /** Stops claiming, waits for sends in flight and their records, releases connections. */
  stop(): Promise<void>;
  /** Look at the database now (something was just written). */
  wake(): void;
  /** One pass: fan out what is queued, send what is due now, record it all. For tests and tools. */
  runOnce(): Promise<{ fannedOut: number; sent: number }>;
  readonly stats: { sent: number; succeeded: number; failed: number };
}

/**
 * Deliveries held at once (queued, in flight or waiting for their record), in multiples of
 * `concurrency`: the surplus waits in memory and starts the moment a slot frees, so sends never
 * wait for a commit. How many multiples follows the sends' average duration, so that the last
 * one queued still starts within half its lease: from `PREFETCH_START` (nothing measured yet)
 * up to `PREFETCH_MAX` for fast receivers, down to 1 for slow ones. A queued delivery whose
 * lease would run out before its send could finish is given back unsent all the same.
 */
export const PREFETCH_START = 4;
export const PREFETCH_MAX = 32;
/**
 * Start permits (delivery-permits.ts) kept ahead of the sends, in multiples of `concurrency`: a
 * take permits what it takes up to `PERMIT_AHEAD`, and once fewer than `PERMIT_LOW_WATER`
 * permitted deliveries wait, one write tops them up again. A slot that frees thus finds a
 * permitted delivery waiting (sends never wait for the permit write), while a crash leaves at
 * most about this many permitted but unsent deliveries to record as interrupted attempts.
 */
export const PERMIT_AHEAD = 2;
export const PERMIT_LOW_WATER = 1;
/**
 * The longest a result waits for a write it can share while sends are still running (with nothing
 * running it is written at once). SQLite: a take records what waits, and each commit is an fsync
 * on this thread. PostgreSQL: each write is a statement and a WAL flush on the server.
 */
export const RECORD_DELAY_MS = { sqlite: 20, postgres: 10 } as const;
/** PostgreSQL: records written at once. One: a second one in flight made batches smaller and the server busier (measured). */
export const PG_RECORDS_IN_FLIGHT = 1;
