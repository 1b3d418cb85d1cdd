/**
 * `paygate serve` as a real process (the same entry point `npm start` runs, through tsx): first
 * start seeds the demo and prints a curl walkthrough that works as printed; a second start reuses
 * the demo; SIGTERM stops it cleanly.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { alive, cliEnv, emptyDatabase, startServe, stop, type EmptyDatabase, type Served } from './support.js';

const run = promisify(execFile);

// Each test starts real processes that compile the app through tsx: slow on a busy machine.
describe('paygate serve', { timeout: 120_000 }, () => {
  let db: EmptyDatabase | undefined;
  let served: Served | undefined;
  afterEach(async () => {
    if (served && alive(served)) await stop(served);
    served = undefined;
    await db?.drop();
    db = undefined;
  });

  it('first start creates the demo, and its printed curl walkthrough pays a charge', async () => {
    db = await emptyDatabase('sqlite');
    const env = cliEnv(db);
    served = await startServe(env);
    const demo = JSON.parse(readFileSync(join(db.dataDir, 'demo.json'), 'utf8')) as { app_id: string; test_secret_key: string };
    expect(statSync(join(db.dataDir, 'demo.json')).mode & 0o777).toBe(0o600);
    expect(served.output()).toContain(`Created the demo app "Demo shop" (${demo.app_id})`);
    expect(served.output()).toMatch(/test-mode channels: Test channel, Alipay \(sandbox\), WeChat Pay \(sandbox\)\./);
    expect(served.output()).toContain(`Test secret key: ${demo.test_secret_key}`);

    // Run the three printed lines exactly as a user would paste them.
    const lines = served.output().split('\n').filter((l) => l.startsWith('  CH=') || l.startsWith('  curl ')).map((l) => l.trim());
    expect(lines).toHaveLength(3);
    const { stdout } = await run('bash', ['-c', lines.join('\n')]);
    const charge = JSON.parse(stdout) as { id: string; status: string; paid: boolean; app: string; amount: number };
    expect(charge).toMatchObject({ status: 'succeeded', paid: true, app: demo.app_id, amount: 100 });

    expect(await stop(served)).toBe(0);
    expect(served.output()).toContain('paygate stopped.');
  });

  it('a later start reuses the demo app and prints its key again', async () => {
    db = await emptyDatabase('sqlite');
    const env = cliEnv(db);
    served = await startServe(env);
    const firstKey = /Test secret key: (\S+)/.exec(served.output())![1];
    expect(await stop(served, 'SIGINT')).toBe(0);

    served = await startServe(env);
    expect(served.output()).toContain('Demo app "Demo shop"');
    expect(served.output()).not.toContain('Created the demo app');
    expect(/Test secret key: (\S+)/.exec(served.output())![1]).toBe(firstKey);
    // The key printed again still authenticates.
    const response = await fetch(`${served.url}/v1/charges?limit=1`, { headers: { authorization: `Bearer ${firstKey}` } });
    expect(response.status).toBe(200);
  });

  it('a port already in use fails with a message and exit code 1', async () => {
    db = await emptyDatabase('sqlite');
    served = await startServe(cliEnv(db));
    const port = new URL(served.url).port;
    const other = await run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--no-jobs'], {
      env: { PATH: process.env.PATH ?? '', ...cliEnv(db), PORT: port },
    }).then(() => ({ code: 0, stderr: '' }), (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }));
    expect(other.code).toBe(1);
    expect(other.stderr).toContain(`cannot listen on 127.0.0.1:${port}`);
  });
});
