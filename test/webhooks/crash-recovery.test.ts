/**
 * At least once, never lost: a real `paygate worker` child process is killed with SIGKILL in the
 * middle of a burst of 1,000 events, restarted, and every event still reaches the receiver.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { chargeInput } from '../support/engine.js';
import { startReceiver, type Receiver } from './support/receiver.js';
import { createPaygate } from '../../src/engine/paygate.js';
import { openDatabase, type Database } from '../../src/store/database.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { createEndpoint } from '../../src/webhooks/endpoints.js';

const MASTER_KEY = 'ab'.repeat(32);
const EVENTS = 1000;

function startWorker(databaseUrl: string, dataDir: string, log: string[]): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'worker'], {
    cwd: join(import.meta.dirname, '..', '..'),
    env: {
      ...process.env, DATABASE_URL: databaseUrl, PAYGATE_MASTER_KEY: MASTER_KEY, PAYGATE_DATA_DIR: dataDir,
      PAYGATE_RETRY_SCHEDULE: '0,1s,1s,1s', PAYGATE_WEBHOOK_TIMEOUT: '2s', PAYGATE_WEBHOOK_CONCURRENCY: '16',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk: Buffer) => log.push(chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => log.push(chunk.toString()));
  return child;
}

async function until(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`kill -9 during dispatch (${dialect.name})`, () => {
    const children: ChildProcess[] = [];
    let receiver: Receiver | undefined;
    let database: Database | undefined;
    let cleanup: (() => Promise<void>) | undefined;
    afterEach(async () => {
      for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
      await receiver?.close();
      await cleanup?.();
      receiver = database = cleanup = undefined;
    });

    it(`loses none of ${EVENTS} events`, async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'paygate-crash-'));
      let url: string;
      if (dialect.name === 'sqlite') {
        url = `sqlite:${join(dataDir, 'paygate.db')}`;
        database = openDatabase(url);
        await migrateToLatest(database);
        cleanup = async () => { await database?.close(); rmSync(dataDir, { recursive: true, force: true }); };
      } else {
        const fresh = await dialect.open();
        database = fresh;
        url = fresh.url;
        cleanup = async () => { await fresh.close(); rmSync(dataDir, { recursive: true, force: true }); };
      }
      const paygate = createPaygate({ database, masterKey: MASTER_KEY });
      const { app } = await paygate.apps.create({ name: 'Crash shop' });
      await paygate.channels.create(app.id, { type: 'test' });
      const scope = { app_id: app.id, livemode: false };

      const received = new Map<string, number>();
      receiver = await startReceiver((request) => {
        const id = String(request.headers['paygate-event-id']);
        received.set(id, (received.get(id) ?? 0) + 1);
        return { status: 200, body: 'SUCCESS', delayMs: 2 };
      });
      await createEndpoint(paygate.deps, scope, { url: receiver.url, events: ['charge.created', 'charge.pending'] });

      const log: string[] = [];
      const first = startWorker(url, dataDir, log);
      children.push(first);
      // The burst: 500 charges, two events each, while the worker delivers.
      const burst = (async () => {
        for (let i = 0; i < EVENTS / 2; i++) await paygate.charges.create(scope, chargeInput());
      })();
      await until(() => received.size >= 150, 60_000, `the first worker to deliver 150 events (log: ${log.join('')})`);
      first.kill('SIGKILL');
      await new Promise((resolve) => first.once('exit', resolve));
      const beforeRestart = received.size;
      await burst;
      expect(beforeRestart).toBeLessThan(EVENTS);

      const second = startWorker(url, dataDir, log);
      children.push(second);
      await until(() => received.size >= EVENTS, 90_000, `all ${EVENTS} events after the restart (got ${received.size})`);
      await until(async () => {
        const open = await database!.db.selectFrom('webhook_deliveries').select('id').where('status', '!=', 'succeeded').execute();
        return open.length === 0;
      }, 30_000, 'every delivery to be recorded as succeeded');

      const events = await database.db.selectFrom('events').select('id').where('type', 'in', ['charge.created', 'charge.pending']).execute();
      expect(events).toHaveLength(EVENTS);
      expect(events.every((e) => received.has(e.id))).toBe(true);
      const deliveries = await database.db.selectFrom('webhook_deliveries').selectAll().execute();
      expect(deliveries).toHaveLength(EVENTS);
      const duplicates = [...received.values()].filter((n) => n > 1).length;
      const orphans = await database.db.selectFrom('webhook_attempts').select('seq').where('error', 'like', 'no result recorded%').execute();
      console.info(`[${dialect.name}] kill -9 after ${beforeRestart} events; all ${EVENTS} delivered; ${duplicates} delivered twice (at least once); ${orphans.length} interrupted attempts recorded`);
      second.kill('SIGTERM');
      await new Promise((resolve) => second.once('exit', resolve));
    }, 180_000);
  });
}
