import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { openDatabase, type Database } from '../../src/store/database.js';
import { createPaygate } from '../../src/engine/paygate.js';
import { manualClock } from '../../src/core/clock.js';
import { tryWithAdvisoryLock, withAdvisoryLock } from '../../src/cli/advisory-lock.js';
import { BACKGROUND_JOBS, startBackgroundJobs, type ScheduledJob } from '../../src/cli/background-jobs.js';

const pg = DIALECTS.find((d) => d.name === 'postgres')!;

describe.skipIf(!pg.available)('advisory locks (postgres)', () => {
  const opened: Database[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((d) => d.close()));
  });

  it('a job held by one process is skipped by another, and runs again once released', async () => {
    const first = await pg.open();
    opened.push(first);
    // A second process: its own pool on the same database.
    const second = openDatabase(first.url);
    opened.push(second);
    let release!: () => void;
    const held = new Promise<void>((resolve) => { release = resolve; });
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => { entered = resolve; });
    const holder = tryWithAdvisoryLock(first, 'expire-charges', async () => { entered(); await held; });
    await inside;
    let ran = false;
    expect(await tryWithAdvisoryLock(second, 'expire-charges', async () => { ran = true; })).toBe(false);
    expect(ran).toBe(false);
    // Another job name is not blocked.
    expect(await tryWithAdvisoryLock(second, 'reconcile-charges', async () => undefined)).toBe(true);
    release();
    expect(await holder).toBe(true);
    expect(await tryWithAdvisoryLock(second, 'expire-charges', async () => { ran = true; })).toBe(true);
    expect(ran).toBe(true);
  });

  it('withAdvisoryLock waits for the holder instead of skipping', async () => {
    const first = await pg.open();
    opened.push(first);
    const second = openDatabase(first.url);
    opened.push(second);
    const order: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((resolve) => { release = resolve; });
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => { entered = resolve; });
    const a = withAdvisoryLock(first, 'demo-seed', async () => { entered(); await held; order.push('first'); });
    await inside;
    const b = withAdvisoryLock(second, 'demo-seed', async () => { order.push('second'); });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(order).toEqual([]);
    release();
    await Promise.all([a, b]);
    expect(order).toEqual(['first', 'second']);
  });
});

describe('startBackgroundJobs', () => {
  it('runs each job repeatedly, never overlapping itself, and stop() waits for a run in progress', async () => {
    const database = openDatabase('sqlite::memory:');
    const paygate = createPaygate({ database });
    let running = 0;
    let maxRunning = 0;
    let runs = 0;
    let finished = 0;
    const slow: ScheduledJob = {
      name: 'slow', intervalMs: 5,
      async run() {
        running++; runs++;
        maxRunning = Math.max(maxRunning, running);
        await new Promise((resolve) => setTimeout(resolve, 40));
        running--; finished++;
        return { errors: runs === 1 ? ['ch_x: channel timed out'] : [] };
      },
    };
    const logged: string[] = [];
    const jobs = startBackgroundJobs(paygate, [slow], (line) => logged.push(line));
    await new Promise((resolve) => setTimeout(resolve, 200));
    await jobs.stop();
    const afterStop = runs;
    expect(runs).toBeGreaterThanOrEqual(2);
    expect(maxRunning).toBe(1);
    expect(finished).toBe(runs);
    expect(logged).toContain('job slow: ch_x: channel timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(runs).toBe(afterStop);
    await database.close();
  });

  it('the built-in expiry job closes a pending charge past time_expire', async () => {
    const database = await DIALECTS.find((d) => d.name === 'sqlite')!.open();
    const clock = manualClock();
    const paygate = createPaygate({ database, clock, masterKey: randomBytes(32) });
    const { app } = await paygate.apps.create({ name: 'Jobs' });
    await paygate.channels.create(app.id, { type: 'test', livemode: false });
    const scope = { app_id: app.id, livemode: false };
    const charge = await paygate.charges.create(scope, { order_no: 'exp-1', channel: 'test', amount: 100, currency: 'cny', client_ip: '127.0.0.1', subject: 's', body: 'b' });
    clock.advance(2 * 3600_000);
    const expire = BACKGROUND_JOBS.map((factory) => factory(paygate)).find((job) => job.name === 'expire-charges')!;
    await expire.run();
    expect((await paygate.charges.retrieve(scope, charge.id)).status).toBe('closed');
    await database.close();
  });
});
