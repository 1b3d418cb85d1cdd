import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, effectivePublicUrl, loadConfig, parseRetrySchedule, resolveMasterKey } from '../../src/config.js';
import { runCli } from './support.js';

function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env, '/srv/paygate');
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('loadConfig accepted the environment');
}

describe('loadConfig', () => {
  it('has the documented defaults, with paths resolved against the working directory', () => {
    const config = loadConfig({}, '/srv/paygate');
    expect(config.port).toBe(8080);
    expect(config.host).toBe('127.0.0.1');
    expect(config.databaseUrl).toBe('sqlite:/srv/paygate/data/paygate.db');
    expect(config.dataDir).toBe('/srv/paygate/data');
    expect(config.publicUrl).toBeUndefined();
    expect(effectivePublicUrl(config)).toBe('http://127.0.0.1:8080');
    expect(config.masterKey).toBeUndefined();
    expect(config.adminPassword).toBeUndefined();
    expect(config.retryScheduleSeconds).toBeUndefined();
  });

  it('reads every variable', () => {
    const config = loadConfig({
      PORT: '9000', HOST: '0.0.0.0', DATABASE_URL: 'postgres://pay:secret@db:5432/paygate', PAYGATE_PUBLIC_URL: 'https://pay.example.com/',
      PAYGATE_MASTER_KEY: 'ab'.repeat(32), PAYGATE_ADMIN_PASSWORD: 'hunter22', PAYGATE_RETRY_SCHEDULE: '0,2m,1h', PAYGATE_DATA_DIR: 'state',
    }, '/srv/paygate');
    expect(config.port).toBe(9000);
    expect(config.host).toBe('0.0.0.0');
    expect(config.databaseUrl).toBe('postgres://pay:secret@db:5432/paygate');
    expect(config.publicUrl).toBe('https://pay.example.com');
    expect(effectivePublicUrl(config)).toBe('https://pay.example.com');
    expect(config.masterKey).toEqual(Buffer.alloc(32, 0xab));
    expect(config.adminPassword).toBe('hunter22');
    expect(config.retryScheduleSeconds).toEqual([0, 120, 3600]);
    expect(config.dataDir).toBe('/srv/paygate/state');
  });

  it('keeps the default database in PAYGATE_DATA_DIR', () => {
    expect(loadConfig({ PAYGATE_DATA_DIR: '/var/lib/paygate' }, '/srv/paygate').databaseUrl).toBe('sqlite:/var/lib/paygate/paygate.db');
    expect(loadConfig({ PAYGATE_DATA_DIR: 'state', DATABASE_URL: 'sqlite:other.db' }, '/srv/paygate').databaseUrl).toBe('sqlite:/srv/paygate/other.db');
  });

  it('announces a wildcard HOST as loopback, with the port actually listened on', () => {
    expect(effectivePublicUrl(loadConfig({ HOST: '0.0.0.0', PORT: '0' }, '/'), 41234)).toBe('http://127.0.0.1:41234');
    expect(effectivePublicUrl(loadConfig({ HOST: '::1' }, '/'))).toBe('http://[::1]:8080');
  });

  it.each([
    ['PORT', { PORT: 'eighty' }, 'not a port number'],
    ['PORT', { PORT: '70000' }, 'not a port number'],
    ['PORT', { PORT: '-1' }, 'not a port number'],
    ['HOST', { HOST: 'two words' }, 'not a host name'],
    ['DATABASE_URL', { DATABASE_URL: 'mysql://root@localhost/pay' }, 'sqlite:'],
    ['DATABASE_URL', { DATABASE_URL: 'sqlite:' }, 'needs a file name'],
    ['PAYGATE_PUBLIC_URL', { PAYGATE_PUBLIC_URL: 'pay.example.com' }, 'not a URL'],
    ['PAYGATE_PUBLIC_URL', { PAYGATE_PUBLIC_URL: 'ftp://pay.example.com' }, 'http://'],
    ['PAYGATE_MASTER_KEY', { PAYGATE_MASTER_KEY: 'too-short' }, '32 bytes'],
    ['PAYGATE_RETRY_SCHEDULE', { PAYGATE_RETRY_SCHEDULE: '0,2 minutes' }, '"2 minutes" is not a delay'],
  ])('rejects a bad %s with a message naming it', (variable, env, words) => {
    const error = configError(env);
    expect(error.variable).toBe(variable);
    expect(error.message.startsWith(`${variable}: `)).toBe(true);
    expect(error.message).toContain(words);
  });

  it('never prints a database password in an error', () => {
    expect(configError({ DATABASE_URL: 'mysql://root:hunter2@db/pay' }).message).not.toContain('hunter2');
  });

  it('parses retry schedules with units', () => {
    expect(parseRetrySchedule('0,2m,10m,10m,1h,2h,6h,15h')).toEqual([0, 120, 600, 600, 3600, 7200, 21600, 54000]);
    expect(parseRetrySchedule('1, 2s ,1d')).toEqual([1, 2, 86400]);
  });
});

describe('resolveMasterKey', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('generates <data dir>/master.key once with mode 0600 and a warning, then reuses it silently', () => {
    dir = mkdtempSync(join(tmpdir(), 'paygate-key-'));
    const config = loadConfig({ PAYGATE_DATA_DIR: join(dir, 'data') }, dir);
    const warnings: string[] = [];
    const first = resolveMasterKey(config, (w) => warnings.push(w));
    expect(first.source).toBe('generated');
    expect(first.key).toHaveLength(32);
    const file = join(dir, 'data', 'master.key');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8').trim()).toBe(first.key.toString('hex'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('PAYGATE_MASTER_KEY is not set');

    const second = resolveMasterKey(config, (w) => warnings.push(w));
    expect(second.source).toBe('file');
    expect(second.key.equals(first.key)).toBe(true);
    expect(warnings).toHaveLength(1);
  });

  it('prefers PAYGATE_MASTER_KEY and writes no file', () => {
    dir = mkdtempSync(join(tmpdir(), 'paygate-key-'));
    const config = loadConfig({ PAYGATE_DATA_DIR: dir, PAYGATE_MASTER_KEY: Buffer.alloc(32, 3).toString('base64') }, dir);
    const resolved = resolveMasterKey(config, () => { throw new Error('no warning expected'); });
    expect(resolved).toEqual({ key: Buffer.alloc(32, 3), source: 'environment' });
    expect(() => statSync(join(dir!, 'master.key'))).toThrow();
  });

  it('refuses a damaged key file rather than silently replacing it', () => {
    dir = mkdtempSync(join(tmpdir(), 'paygate-key-'));
    writeFileSync(join(dir, 'master.key'), 'garbage\n');
    const config = loadConfig({ PAYGATE_DATA_DIR: dir }, dir);
    expect(() => resolveMasterKey(config, () => undefined)).toThrow(/master\.key does not hold a 32-byte key/);
  });
});

describe('the CLI on a bad configuration', () => {
  it('exits 2 with one line naming the variable', async () => {
    const result = await runCli(['apps', 'list'], { PORT: 'abc' });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe('paygate: configuration error: PORT: "abc" is not a port number (0 to 65535).\n');
  });

  it('still shows help, which needs no configuration', async () => {
    const result = await runCli(['apps', '--help'], { DATABASE_URL: 'nonsense' });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: paygate apps');
  });
});
