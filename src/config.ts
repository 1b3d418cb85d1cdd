/**
 * paygate's configuration from the environment (PRODUCT.md §6). Parsing is pure: `loadConfig(env)`
 * either returns a frozen config or throws a `ConfigError` naming the variable at fault, which the
 * CLI turns into a one-line message and exit code 2. The one piece of I/O, finding or generating
 * the master key, is `resolveMasterKey` beside it.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { dialectOf, redactUrl } from './store/database.js';
import { parseMasterKey } from './store/secret-box.js';

/** A configuration value that cannot be used; `variable` names the environment variable. */
export class ConfigError extends Error {
  constructor(readonly variable: string, message: string) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

export interface PaygateConfig {
  readonly port: number;
  readonly host: string;
  readonly databaseUrl: string;
  /** Base URL the outside world reaches paygate at; `undefined` means "http://HOST:PORT once listening". */
  readonly publicUrl: string | undefined;
  /** Absolute path of the data directory (master key, demo keys, the default SQLite file). */
  readonly dataDir: string;
  /** From PAYGATE_MASTER_KEY; `undefined` means "use or generate `<dataDir>/master.key`". */
  readonly masterKey: Buffer | undefined;
  readonly adminPassword: string | undefined;
  /** Webhook retry delays in seconds (from PAYGATE_RETRY_SCHEDULE); `undefined` means the default schedule. */
  readonly retryScheduleSeconds: readonly number[] | undefined;
}

/** The variables `loadConfig` reads, with their defaults, as documented in docs/configuration.md. */
export const CONFIG_VARIABLES = ['PORT', 'HOST', 'DATABASE_URL', 'PAYGATE_PUBLIC_URL', 'PAYGATE_MASTER_KEY', 'PAYGATE_ADMIN_PASSWORD', 'PAYGATE_RETRY_SCHEDULE', 'PAYGATE_DATA_DIR'] as const;

type Env = Readonly<Record<string, string | undefined>>;

/** Reads and checks every variable; throws `ConfigError` on the first bad one. Relative paths resolve against `cwd`. */
export function loadConfig(env: Env = process.env, cwd: string = process.cwd()): PaygateConfig {
  const value = (name: string): string | undefined => {
    const raw = env[name];
    return raw === undefined || raw.trim() === '' ? undefined : raw.trim();
  };
  const port = parsePort(value('PORT') ?? '8080');
  const host = value('HOST') ?? '127.0.0.1';
  if (!/^[A-Za-z0-9.:[\]-]+$/.test(host)) throw new ConfigError('HOST', `"${host}" is not a host name or IP address.`);
  const dataDir = resolve(cwd, value('PAYGATE_DATA_DIR') ?? './data');
  // Unset, the database lives in the data directory: sqlite:./data/paygate.db by default.
  const databaseUrl = parseDatabaseUrl(value('DATABASE_URL') ?? `sqlite:${join(dataDir, 'paygate.db')}`, cwd);
  const publicUrl = value('PAYGATE_PUBLIC_URL');
  if (publicUrl !== undefined) checkPublicUrl(publicUrl);
  const masterKeyText = value('PAYGATE_MASTER_KEY');
  let masterKey: Buffer | undefined;
  if (masterKeyText !== undefined) {
    try {
      masterKey = parseMasterKey(masterKeyText);
    } catch {
      throw new ConfigError('PAYGATE_MASTER_KEY', 'must be 32 bytes, written as 64 hex characters or as base64 (for example the output of `openssl rand -hex 32`).');
    }
  }
  const schedule = value('PAYGATE_RETRY_SCHEDULE');
  return Object.freeze({
    port,
    host,
    databaseUrl,
    publicUrl: publicUrl?.replace(/\/+$/, ''),
    dataDir,
    masterKey,
    adminPassword: value('PAYGATE_ADMIN_PASSWORD'),
    retryScheduleSeconds: schedule === undefined ? undefined : Object.freeze(parseRetrySchedule(schedule)),
  });
}

/** The URL paygate announces: PAYGATE_PUBLIC_URL, else http://HOST:PORT (with the real port once known). */
export function effectivePublicUrl(config: PaygateConfig, listeningPort: number = config.port): string {
  if (config.publicUrl) return config.publicUrl;
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  return `http://${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${listeningPort}`;
}

function parsePort(text: string): number {
  const port = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(port) || port > 65535) throw new ConfigError('PORT', `"${text}" is not a port number (0 to 65535).`);
  return port;
}

function parseDatabaseUrl(url: string, cwd: string): string {
  try {
    dialectOf(url);
  } catch {
    throw new ConfigError('DATABASE_URL', `"${redactUrl(url)}" is not supported: use sqlite:<file> (for example sqlite:./data/paygate.db) or postgres://user@host:port/database.`);
  }
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length);
    if (file === '') throw new ConfigError('DATABASE_URL', 'sqlite: needs a file name, for example sqlite:./data/paygate.db.');
    // Resolving here keeps the database where the operator meant even if a later step changes directory.
    return file === ':memory:' ? url : `sqlite:${resolve(cwd, file)}`;
  }
  try {
    new URL(url);
  } catch {
    throw new ConfigError('DATABASE_URL', `"${redactUrl(url)}" is not a valid postgres:// URL.`);
  }
  return url;
}

function checkPublicUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError('PAYGATE_PUBLIC_URL', `"${url}" is not a URL; write it like https://pay.example.com.`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new ConfigError('PAYGATE_PUBLIC_URL', `"${url}" must start with http:// or https://.`);
  if (parsed.search || parsed.hash) throw new ConfigError('PAYGATE_PUBLIC_URL', `"${url}" must not have a query string or fragment.`);
}

const UNIT_SECONDS: Record<string, number> = { '': 1, s: 1, m: 60, h: 3600, d: 86400 };

/** "0,2m,10m,1h" → [0, 120, 600, 3600]. A bare number is seconds. */
export function parseRetrySchedule(text: string): number[] {
  const parts = text.split(',').map((part) => part.trim());
  return parts.map((part) => {
    const match = /^(\d+)(s|m|h|d)?$/.exec(part);
    if (!match) throw new ConfigError('PAYGATE_RETRY_SCHEDULE', `"${part}" is not a delay; write delays like "0,2m,10m,1h,2h" (units s, m, h, d; a bare number is seconds).`);
    return Number(match[1]) * UNIT_SECONDS[match[2] ?? '']!;
  });
}

export interface ResolvedMasterKey {
  readonly key: Buffer;
  readonly source: 'environment' | 'file' | 'generated';
  /** The key file, when the key came from or went to one. */
  readonly file?: string;
}

/**
 * PAYGATE_MASTER_KEY when set; otherwise `<dataDir>/master.key`, generated (32 random bytes, mode
 * 0600) the first time with a warning through `warn`, and reused silently afterwards.
 */
export function resolveMasterKey(config: PaygateConfig, warn: (message: string) => void): ResolvedMasterKey {
  if (config.masterKey) return { key: config.masterKey, source: 'environment' };
  const file = join(config.dataDir, 'master.key');
  if (existsSync(file)) {
    try {
      return { key: parseMasterKey(readFileSync(file, 'utf8')), source: 'file', file };
    } catch {
      throw new ConfigError('PAYGATE_MASTER_KEY', `is unset and ${file} does not hold a 32-byte key (64 hex characters); restore it or set PAYGATE_MASTER_KEY.`);
    }
  }
  mkdirSync(config.dataDir, { recursive: true });
  const key = randomBytes(32);
  // 'wx' refuses to overwrite: two processes starting together must not each write their own key.
  try {
    writeFileSync(file, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return resolveMasterKey(config, warn);
    throw error;
  }
  chmodSync(file, 0o600);
  warn(`PAYGATE_MASTER_KEY is not set: generated a new master key in ${file} (mode 0600). It encrypts channel secrets; back it up, or set PAYGATE_MASTER_KEY in production.`);
  return { key, source: 'generated', file };
}
