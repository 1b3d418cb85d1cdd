import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_SCHEDULE_MS, describeSchedule, nextAttemptAt, retryScheduleFromEnv, validateSchedule } from '../../src/webhooks/retry-schedule.js';
import { parseDuration, workerSettings } from '../../src/webhooks/worker.js';

describe('retry schedule', () => {
  it('defaults to 8 sends over about 25 hours: now, 2m, 10m, 10m, 1h, 2h, 6h, 15h', () => {
    expect(DEFAULT_RETRY_SCHEDULE_MS.map((ms) => ms / 1000)).toEqual([0, 120, 600, 600, 3600, 7200, 21600, 54000]);
    expect(describeSchedule(DEFAULT_RETRY_SCHEDULE_MS)).toBe('8 sends over 24h 22m');
  });

  it('is replaced by PAYGATE_RETRY_SCHEDULE, and a bad one says how to write it', () => {
    expect(retryScheduleFromEnv({ PAYGATE_RETRY_SCHEDULE: '0,1s,2s' })).toEqual([0, 1000, 2000]);
    expect(retryScheduleFromEnv({ PAYGATE_RETRY_SCHEDULE: ' 0, 2m ,1h' })).toEqual([0, 120_000, 3_600_000]);
    expect(retryScheduleFromEnv({ PAYGATE_RETRY_SCHEDULE: '' })).toBe(DEFAULT_RETRY_SCHEDULE_MS);
    expect(() => retryScheduleFromEnv({ PAYGATE_RETRY_SCHEDULE: '0,soon' })).toThrow(/"soon" is not a delay.*0,2m,10m/);
    expect(() => validateSchedule([])).toThrow(/at least one send/);
    expect(() => validateSchedule([0, -1])).toThrow(/non-negative/);
  });

  it('counts each delay from the previous failed send, and ends after the last one', () => {
    const schedule = [0, 1000, 5000];
    expect(nextAttemptAt(schedule, 1, 10_000)).toBe(11_000);
    expect(nextAttemptAt(schedule, 2, 20_000)).toBe(25_000);
    expect(nextAttemptAt(schedule, 3, 30_000)).toBeNull();
  });

  it('reads the worker settings, with a lease that outlives a queued send', () => {
    expect(parseDuration('500ms', 'X')).toBe(500);
    expect(parseDuration('2m', 'X')).toBe(120_000);
    expect(parseDuration('10', 'X')).toBe(10_000);
    expect(() => parseDuration('ten', 'PAYGATE_WEBHOOK_TIMEOUT')).toThrow(/PAYGATE_WEBHOOK_TIMEOUT must be a duration/);
    const settings = workerSettings({ PAYGATE_WEBHOOK_TIMEOUT: '2s', PAYGATE_WEBHOOK_CONCURRENCY: '8', PAYGATE_RETRY_SCHEDULE: '0,1s' });
    expect(settings).toMatchObject({ timeoutMs: 2000, concurrency: 8, schedule: [0, 1000] });
    expect(settings.leaseMs).toBeGreaterThan(2 * settings.timeoutMs);
    expect(() => workerSettings({ PAYGATE_WEBHOOK_CONCURRENCY: '0' })).toThrow(/CONCURRENCY/);
  });
});
