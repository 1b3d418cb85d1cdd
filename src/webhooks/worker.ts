/**
 * Starting the dispatcher from the command line (`paygate serve`, `paygate worker`), configured by
 * the environment: PAYGATE_RETRY_SCHEDULE (the sends), PAYGATE_WEBHOOK_TIMEOUT (a send's deadline,
 * default 10s), PAYGATE_WEBHOOK_CONCURRENCY (sends in flight, default 32).
 */
import type { Paygate } from '../engine/paygate.js';
import { createDispatcher, type Dispatcher } from './dispatcher.js';
import type { SendOutcome } from './delivery-claims.js';
import { retryScheduleFromEnv } from './retry-schedule.js';
import { DEFAULT_WEBHOOK_TIMEOUT_MS } from './http-sender.js';

type Env = Readonly<Record<string, string | undefined>>;

/** "500ms", "10s", "2m", or a bare number of seconds, as milliseconds. */
export function parseDuration(text: string, variable: string): number {
  const match = /^(\d+)(ms|s|m)?$/.exec(text.trim());
  if (!match) throw new Error(`${variable} must be a duration like 10s, 500ms or 2m (got "${text}")`);
  const unit = match[2] ?? 's';
  return Number(match[1]) * (unit === 'ms' ? 1 : unit === 's' ? 1000 : 60_000);
}

export interface WorkerSettings {
  readonly schedule: readonly number[];
  readonly timeoutMs: number;
  readonly leaseMs: number;
  readonly concurrency: number;
}

export function workerSettings(env: Env): WorkerSettings {
  const timeoutMs = env.PAYGATE_WEBHOOK_TIMEOUT ? parseDuration(env.PAYGATE_WEBHOOK_TIMEOUT, 'PAYGATE_WEBHOOK_TIMEOUT') : DEFAULT_WEBHOOK_TIMEOUT_MS;
  if (timeoutMs < 100 || timeoutMs > 120_000) throw new Error('PAYGATE_WEBHOOK_TIMEOUT must be between 100ms and 2m');
  const concurrency = env.PAYGATE_WEBHOOK_CONCURRENCY ? Number(env.PAYGATE_WEBHOOK_CONCURRENCY) : 32;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 1000) throw new Error('PAYGATE_WEBHOOK_CONCURRENCY must be an integer from 1 to 1000');
  // The lease covers a wait for a send slot and the send itself with room to record the result;
  // a delivery that waited too long is given back unsent, so no send outlives its lease.
  return { schedule: retryScheduleFromEnv(env), timeoutMs, leaseMs: 4 * timeoutMs + 5_000, concurrency };
}

/** One line about one attempt, for logs. */
export function describeAttempt(outcome: SendOutcome): string {
  const d = outcome.delivery;
  const answer = outcome.httpStatus === null ? 'no answer' : `HTTP ${outcome.httpStatus}`;
  const verdict = outcome.succeeded ? 'delivered' : `failed: ${outcome.error}`;
  return `webhook ${d.event_id} ${d.event_type} → ${d.url} attempt ${d.attempt_count}: ${answer} in ${outcome.durationMs} ms, ${verdict}`;
}

export interface StartOptions {
  readonly env: Env;
  /** Where error lines, failed attempts (and with `verbose` every attempt) go. */
  readonly log: (line: string) => void;
  readonly verbose?: boolean;
}

/** Starts delivering webhooks in this process; `stop()` it before closing the database. */
export function startWebhookDispatcher(paygate: Paygate, options: StartOptions): Dispatcher {
  const settings = workerSettings(options.env);
  const dispatcher = createDispatcher(paygate.deps, {
    ...settings,
    env: options.env,
    bus: paygate.bus,
    // Quiet mode still reports failures: an operator should see a receiver that is down.
    onAttempt: (outcome) => { if (options.verbose || !outcome.succeeded) options.log(describeAttempt(outcome)); },
    onError: (error) => options.log(`webhook dispatcher: ${error instanceof Error ? error.message : String(error)} (retrying)`),
  });
  dispatcher.start();
  return dispatcher;
}
