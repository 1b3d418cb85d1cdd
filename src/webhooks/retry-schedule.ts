/**
 * The retry schedule as data (PRODUCT.md §4): the delay before each send, counted from the
 * previous failed send (the first from the event). Eight sends over about 25 hours by default;
 * `PAYGATE_RETRY_SCHEDULE` ("0,1s,2s") replaces it, which is how tests compress time.
 */
import { parseRetrySchedule } from '../config.js';

/** Immediately, then 2m, 10m, 10m, 1h, 2h, 6h, 15h — in milliseconds. */
export const DEFAULT_RETRY_SCHEDULE_MS: readonly number[] = Object.freeze(
  [0, 120, 600, 600, 3600, 7200, 21600, 54000].map((seconds) => seconds * 1000),
);

/** The schedule from `PAYGATE_RETRY_SCHEDULE` (or the default when unset or blank). */
export function retryScheduleFromEnv(env: Readonly<Record<string, string | undefined>>): readonly number[] {
  const text = env.PAYGATE_RETRY_SCHEDULE?.trim();
  return text ? parseRetrySchedule(text).map((seconds) => seconds * 1000) : DEFAULT_RETRY_SCHEDULE_MS;
}

/** Checks a schedule given in code: at least one send, every delay a non-negative integer of ms. */
export function validateSchedule(schedule: readonly number[]): readonly number[] {
  if (schedule.length === 0) throw new Error('a retry schedule needs at least one send');
  for (const delay of schedule) {
    if (!Number.isInteger(delay) || delay < 0) throw new Error(`retry delays are non-negative integers of milliseconds (got ${delay})`);
  }
  return Object.freeze([...schedule]);
}

/**
 * When the next send is due after `sent` sends of the current round ended in failure at `now`,
 * or `null` when the round is over and the delivery has failed.
 */
export function nextAttemptAt(schedule: readonly number[], sent: number, now: number): number | null {
  const delay = schedule[sent];
  return delay === undefined ? null : now + delay;
}

/** A human summary ("8 sends over 24h 22m") for logs and docs. */
export function describeSchedule(schedule: readonly number[]): string {
  const total = schedule.reduce((sum, delay) => sum + delay, 0);
  const hours = Math.floor(total / 3_600_000);
  const minutes = Math.floor((total % 3_600_000) / 60_000);
  const seconds = Math.round((total % 60_000) / 1000);
  const span = hours ? `${hours}h ${minutes}m` : minutes ? `${minutes}m ${seconds}s` : `${(total / 1000).toFixed(total % 1000 ? 1 : 0)}s`;
  return `${schedule.length} send${schedule.length === 1 ? '' : 's'} over ${span}`;
}
