/**
 * README.md's "Five minutes with curl" walkthrough, run as written (only the server address
 * changed) against a real `paygate serve`, so the README cannot drift from the code.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, execFile, execFileSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { cliEnv, emptyDatabase, type EmptyDatabase } from './support.js';

const run = promisify(execFile);
const hasTools = ['curl', 'jq'].every((tool) => {
  try {
    execFileSync('sh', ['-c', `command -v ${tool}`]);
    return true;
  } catch {
    return false;
  }
});

/** The ```sh blocks of the walkthrough section, in order. */
function walkthroughScript(): string {
  const readme = readFileSync('README.md', 'utf8');
  const section = readme.slice(readme.indexOf('## Five minutes with curl'), readme.indexOf('## Configuration'));
  return [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]).join('\n');
}

describe.skipIf(!hasTools)('README walkthrough', { timeout: 120_000 }, () => {
  let db: EmptyDatabase;
  let child: ChildProcess;
  let url = '';

  beforeAll(async () => {
    db = await emptyDatabase('sqlite');
    child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--no-jobs'], {
      env: { PATH: process.env.PATH ?? '', ...cliEnv(db), PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => { out += chunk.toString(); });
    url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`serve did not start:\n${out}`)), 90_000);
      child.stdout!.on('data', () => {
        const match = /paygate is serving on (http:\/\/\S+)[\s\S]*Press Ctrl-C/.exec(out);
        if (match) { clearTimeout(timer); resolve(match[1]!); }
      });
    });
  }, 120_000);

  afterAll(async () => {
    await new Promise<void>((resolve) => { child.once('exit', () => resolve()); child.kill('SIGTERM'); });
    await db.drop();
  });

  it('every step answers what the README says', async () => {
    const script = walkthroughScript().replaceAll('http://127.0.0.1:8080', url).replaceAll('data/demo.json', `${db.dataDir}/demo.json`);
    expect(script).toContain('/refunds');
    const { stdout } = await run('bash', ['-euo', 'pipefail', '-c', script], { cwd: db.dataDir });
    const squeezed = stdout.replace(/\s+/g, ' ');
    expect(squeezed).toContain('"status": "pending"');
    expect(squeezed).toMatch(/"status": "succeeded", "paid": true, "time_paid": \d+, "transaction_no": "T\d+", "fee": 0, "amount_settle": 1000/);
    expect(squeezed).toMatch(/"id": "re_\w+", "status": "succeeded", "amount": 300/);
    expect(squeezed).toContain('"code": "refund_amount_exceeded"');
    expect(stdout.split('\n').filter((line) => line.startsWith('"'))).toEqual(['"secured_paid"', '"shipped"', '"succeeded"']);
    expect(squeezed).toContain('{ "status": "closed", "reversed": true }');
    expect(squeezed).toContain('{ "status": "closed", "failure_code": "buyer_failed" }');
  });
});
