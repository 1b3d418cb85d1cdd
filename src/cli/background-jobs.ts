/**
 * The scheduled jobs `paygate serve` runs: closing expired pending charges and reconciling pending
 * charges whose notify never came. Each job runs on its own interval, never overlapping itself in
 * this process, and on PostgreSQL under an advisory lock so one process in a fleet runs it at a time.
 * Other parts add interval jobs to `BACKGROUND_JOBS` with a one-line edit.
 */
import type { Paygate } from '../engine/paygate.js';
import { tryWithAdvisoryLock } from './advisory-lock.js';

/** What a job run reports; `errors` are per-item failures that did not stop the run. */
export interface JobOutcome {
  readonly changed?: number;
  readonly errors?: readonly string[];
}

export interface ScheduledJob {
  /** Also the advisory lock's name. */
  readonly name: string;
  readonly intervalMs: number;
  run(): Promise<JobOutcome | void>;
}

export type BackgroundJobFactory = (paygate: Paygate) => ScheduledJob;

export const EXPIRE_INTERVAL_MS = 30_000;
export const RECONCILE_INTERVAL_MS = 60_000;

export const BACKGROUND_JOBS: BackgroundJobFactory[] = [
  (paygate) => ({ name: 'expire-charges', intervalMs: EXPIRE_INTERVAL_MS, run: () => paygate.jobs.expire() }),
  (paygate) => ({ name: 'reconcile-charges', intervalMs: RECONCILE_INTERVAL_MS, run: () => paygate.jobs.reconcile() }),
];

export interface RunningJobs {
  /** Stops scheduling and waits for runs in progress. */
  stop(): Promise<void>;
}

/** Starts every job: a first run soon after start, then one per interval. */
export function startBackgroundJobs(paygate: Paygate, jobs: readonly ScheduledJob[], log: (line: string) => void): RunningJobs {
  const timers: NodeJS.Timeout[] = [];
  const running = new Map<string, Promise<void>>();
  let stopped = false;

  const runOnce = (job: ScheduledJob): void => {
    // A run still going when its interval comes round again is left to finish, not doubled.
    if (stopped || running.has(job.name)) return;
    const run = tryWithAdvisoryLock(paygate.deps.database, job.name, async () => {
      const outcome = await job.run();
      for (const error of outcome?.errors ?? []) log(`job ${job.name}: ${error}`);
    }).then(
      () => undefined,
      (error: unknown) => log(`job ${job.name} failed: ${error instanceof Error ? error.message : String(error)}`),
    ).finally(() => running.delete(job.name));
    running.set(job.name, run);
  };

  for (const job of jobs) {
    // A short first delay lets the server finish starting before the first scan.
    timers.push(setTimeout(() => runOnce(job), Math.min(1_000, job.intervalMs)));
    timers.push(setInterval(() => runOnce(job), job.intervalMs));
  }
  for (const timer of timers) timer.unref();

  return {
    async stop() {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      await Promise.all([...running.values()]);
    },
  };
}
