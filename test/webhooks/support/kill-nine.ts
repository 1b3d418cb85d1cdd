/**
 * At least once, never lost: a real paygate child process that dispatches webhooks (`paygate
 * worker`, or `paygate serve` with the dispatcher inside it) is killed with SIGKILL in the middle
 * of a burst of 1,000 events, restarted, and every event still reaches the receiver. One scenario
 * for both commands, registered per dialect by `describeKillNine`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DIALECTS, type TestDialect } from '../../support/dialects.js';
import { chargeInput } from '../../support/engine.js';
import { startReceiver, type Receiver } from './receiver.js';
import { createPaygate } from '../../../src/engine/paygate.js';
import { openDatabase, type Database } from '../../../src/store/database.js';
import { migrateToLatest } from '../../../src/store/migrate.js';
import { createEndpoint } from '../../../src/webhooks/endpoints.js';

const MASTER_KEY = 'ab'.repeat(32);
const EVENTS = 1000;

/**
 * Short deadlines so the test does not sit out production ones: a 2 s send deadline makes the
 * lease of the killed process run out after 13 s (worker.ts), and retries come a second apart.
 * PORT 0: `serve` listens on any free port (the test never calls its API).
 */
const CHILD_ENV = {
  PAYGATE_MASTER_KEY: MASTER_KEY, PAYGATE_RETRY_SCHEDULE: '0,1s,1s,1s', PAYGATE_WEBHOOK_TIMEOUT: '2s', PAYGATE_WEBHOOK_CONCURRENCY: '16',
  HOST: '127.0.0.1', PORT: '0',
};

function startChild(command: readonly string[], databaseUrl: string, dataDir: string, log: string[]): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...command], {
    cwd: join(import.meta.dirname, '..', '..', '..'),
    env: { ...process.env, ...CHILD_ENV, DATABASE_URL: databaseUrl, PAYGATE_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk: Buffer) => log.push(chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => log.push(chunk.toString()));
  return child;
}

async function until(check: () => boolean | Promise<boolean>, timeoutMs: number, what: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A migrated database the child processes can open by URL, and how to remove it. */
async function sharedDatabase(dialect: TestDialect, dataDir: string): Promise<{ database: Database; url: string; close: () => Promise<void> }> {
  if (dialect.name === 'sqlite') {
    const url = `sqlite:${join(dataDir, 'paygate.db')}`;
    const database = openDatabase(url);
    await migrateToLatest(database);
    return { database, url, close: () => database.close() };
  }
  const database = await dialect.open();
  return { database, url: database.url, close: () => database.close() };
}

/** Registers the kill -9 scenario for `paygate <command…>` on every available dialect. */
export function describeKillNine(command: readonly string[]): void {
  for (const dialect of DIALECTS) {
    describe.skipIf(!dialect.available)(`kill -9 \`paygate ${command[0]}\` during dispatch (${dialect.name})`, () => {
      const children: ChildProcess[] = [];
      let receiver: Receiver | undefined;
      let cleanup: (() => Promise<void>) | undefined;
      afterEach(async () => {
        for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
        await receiver?.close();
        await cleanup?.();
        receiver = cleanup = undefined;
      });

      it(`loses none of ${EVENTS} events`, async () => {
        const dataDir = mkdtempSync(join(tmpdir(), 'paygate-crash-'));
        const { database, url, close } = await sharedDatabase(dialect, dataDir);
        cleanup = async () => { await close(); rmSync(dataDir, { recursive: true, force: true }); };
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
        const first = startChild(command, url, dataDir, log);
        children.push(first);
        // The burst: 500 charges, two events each, while the child delivers.
        const burst = (async () => {
          for (let i = 0; i < EVENTS / 2; i++) await paygate.charges.create(scope, chargeInput());
        })();
        await until(() => received.size >= 150, 60_000, () => `the first process to deliver 150 events (log: ${log.join('')})`);
        first.kill('SIGKILL');
        await new Promise((resolve) => first.once('exit', resolve));
        const beforeRestart = received.size;
        await burst;
        expect(beforeRestart).toBeLessThan(EVENTS);

        const second = startChild(command, url, dataDir, log);
        children.push(second);
        await until(() => received.size >= EVENTS, 90_000, () => `all ${EVENTS} events after the restart (got ${received.size}; log: ${log.join('')})`);
        await until(async () => {
          const open = await database.db.selectFrom('webhook_deliveries').select('id').where('status', '!=', 'succeeded').execute();
          return open.length === 0;
        }, 30_000, () => 'every delivery to be recorded as succeeded');

        const events = await database.db.selectFrom('events').select('id').where('type', 'in', ['charge.created', 'charge.pending']).execute();
        expect(events).toHaveLength(EVENTS);
        expect(events.every((e) => received.has(e.id))).toBe(true);
        const deliveries = await database.db.selectFrom('webhook_deliveries').selectAll().execute();
        expect(deliveries).toHaveLength(EVENTS);
        const duplicates = [...received.values()].filter((n) => n > 1).length;
        const orphans = await database.db.selectFrom('webhook_attempts').select('seq').where('error', 'like', 'no result recorded%').execute();
        console.info(`[${command[0]}, ${dialect.name}] kill -9 after ${beforeRestart} events; all ${EVENTS} delivered; ${duplicates} delivered twice (at least once); ${orphans.length} interrupted attempts recorded`);
        second.kill('SIGTERM');
        await new Promise((resolve) => second.once('exit', resolve));
      }, 180_000);
    });
  }
}
