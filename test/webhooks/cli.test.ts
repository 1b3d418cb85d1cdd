/**
 * The webhook commands of the CLI: `trigger`, `events list|deliveries|resend` in-process, and
 * `listen --forward-to` as a real child process forwarding signed events to a local receiver.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { CliIO } from '../../src/cli/runtime.js';
import { startReceiver } from './support/receiver.js';
import { webhooks } from '../../packages/node/src/index.js';
import { openDatabase } from '../../src/store/database.js';
import { createPaygate } from '../../src/engine/paygate.js';
import { createEndpoint } from '../../src/webhooks/endpoints.js';
import { createDispatcher } from '../../src/webhooks/dispatcher.js';

const MASTER_KEY = 'cd'.repeat(32);

describe('webhook CLI commands', () => {
  let dir: string;
  let env: Record<string, string>;
  let appId: string;

  async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    const io: CliIO = { env, cwd: dir, stdout: (t) => { out += t; }, stderr: (t) => { err += t; } };
    const code = await main(['node', 'paygate', ...args], io);
    return { code, out, err };
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'paygate-cli-'));
    env = { DATABASE_URL: `sqlite:${join(dir, 'paygate.db')}`, PAYGATE_MASTER_KEY: MASTER_KEY, PAYGATE_DATA_DIR: dir, PATH: process.env.PATH ?? '' };
    const created = await run('apps', 'create', '--name', 'CLI shop', '--json');
    appId = JSON.parse(created.out).id;
    expect((await run('channels', 'create', '--app', appId, '--type', 'test')).code).toBe(0);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('trigger makes the event happen, events shows and resends it', async () => {
    const receiver = await startReceiver();
    const database = openDatabase(env.DATABASE_URL!);
    try {
      const paygate = createPaygate({ database, masterKey: MASTER_KEY });
      await createEndpoint(paygate.deps, { app_id: appId, livemode: false }, { url: receiver.url, events: ['charge.succeeded'] });

      const triggered = await run('trigger', 'charge.succeeded');
      expect(triggered.code).toBe(0);
      expect(triggered.out).toMatch(/Triggered charge.succeeded in app app_\w+ \(test mode\) on charge ch_\w+/);
      const succeeded = /(evt_\w+)\s+charge\.succeeded/.exec(triggered.out)![1]!;
      expect((await run('trigger', 'charge.paid')).err).toMatch(/cannot trigger "charge.paid"; choose one of/);

      await createDispatcher(paygate.deps).runOnce();
      expect(receiver.requests.map((r) => r.headers['paygate-event-id'])).toEqual([succeeded]);
      const listed = await run('events', 'list', '--type', 'charge.succeeded');
      expect(listed.out).toContain(succeeded);
      const shown = await run('events', 'deliveries', succeeded);
      expect(shown.out).toMatch(/SUCCEEDED .*#1 .* 200 .* delivered/s);

      const resent = await run('events', 'resend', succeeded);
      expect(resent.out).toMatch(/queued again to 1 destination/);
      await createDispatcher(paygate.deps).runOnce();
      expect(receiver.requests.map((r) => r.headers['paygate-event-id'])).toEqual([succeeded, succeeded]);
      expect((await run('events', 'resend', 'evt_missing')).err).toMatch(/No such event: evt_missing/);

      const refund = await run('trigger', 'refund.succeeded', '--json');
      expect(JSON.parse(refund.out).map((e: { type: string }) => e.type)).toEqual(['charge.created', 'charge.pending', 'charge.succeeded', 'refund.succeeded']);
    } finally {
      await database.close();
      await receiver.close();
    }
  });

  it('listen forwards each new event, signed, and prints the local answer', async () => {
    const receiver = await startReceiver((request) => ({ status: JSON.parse(request.body).type === 'charge.pending' ? 500 : 200, body: 'ok' }));
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'listen', '--forward-to', `${receiver.url}/hooks`, '--events', 'charge.*', '--interval', '50'], {
      cwd: join(import.meta.dirname, '..', '..'), env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => { out += chunk.toString(); });
    child.stderr!.on('data', (chunk: Buffer) => { out += chunk.toString(); });
    try {
      const deadline = Date.now() + 30_000;
      // "Ready!" and the secret are two lines, which may arrive in separate chunks: wait for both.
      while (!/Ready![\s\S]*whsec_\w+/.test(out)) {
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`listen did not start: ${out}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const secret = /(whsec_\w+)/.exec(out)![1]!;
      await run('trigger', 'charge.succeeded');
      const requests = await receiver.waitFor(3, 20_000);
      const types = requests.map((r) => webhooks.verify<{ type: string }>(r.body, r.headers['paygate-signature'], secret).type);
      expect(types).toEqual(['charge.created', 'charge.pending', 'charge.succeeded']);
      while (!/charge\.succeeded/.test(out.split('Ready!')[1] ?? '')) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(out).toMatch(/--> charge\.pending \[evt_\w+\]\s+<-- \[500\] answered 500/);
      expect(out).toMatch(/--> charge\.succeeded \[evt_\w+\]\s+<-- \[200\]/);
    } finally {
      child.kill('SIGINT');
      await new Promise((resolve) => child.once('exit', resolve));
      await receiver.close();
    }
    expect(out).toContain('paygate listen stopped.');
  }, 60_000);
});
