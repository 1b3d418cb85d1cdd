/**
 * What every `paygate` command is handed: the environment, where to write, the configuration
 * (read lazily, so `--help` works with a broken environment) and a way to open the engine against
 * `DATABASE_URL`. Commands never touch `process` directly, so tests can run them in-process.
 */
import { loadConfig, resolveMasterKey, effectivePublicUrl, type PaygateConfig } from '../config.js';
import { openDatabase, type Database } from '../store/database.js';
import { migrateToLatest } from '../store/migrate.js';
import { createPaygate, type Paygate, type PaygateOptions } from '../engine/paygate.js';

/** Where a command reads its environment and writes its output. */
export interface CliIO {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  stdout(text: string): void;
  stderr(text: string): void;
}

/** An opened engine; `close()` releases the database. */
export interface PaygateSession {
  readonly paygate: Paygate;
  readonly database: Database;
  readonly config: PaygateConfig;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** Apply pending migrations first (default true: `apps create` must work on an empty database). */
  readonly migrate?: boolean;
  /** Extra engine options (transaction handlers, clock…). */
  readonly engine?: Partial<Omit<PaygateOptions, 'database'>>;
}

export interface CliRuntime extends CliIO {
  /** The configuration; throws `ConfigError` (exit code 2) when a variable is invalid. */
  config(): PaygateConfig;
  /** Opens the database named by DATABASE_URL and the engine over it. */
  openPaygate(options?: OpenOptions): Promise<PaygateSession>;
  /** Writes a line to stdout. */
  print(line?: string): void;
  /** Writes a value as indented JSON to stdout. */
  printJson(value: unknown): void;
  /** Writes a warning line to stderr (so it never mixes into `--json` output). */
  warn(line: string): void;
}

export function createRuntime(io: CliIO): CliRuntime {
  let config: PaygateConfig | undefined;
  const runtime: CliRuntime = {
    ...io,
    config: () => (config ??= loadConfig(io.env, io.cwd)),
    print: (line = '') => io.stdout(`${line}\n`),
    printJson: (value) => io.stdout(`${JSON.stringify(value, null, 2)}\n`),
    warn: (line) => io.stderr(`paygate: warning: ${line}\n`),
    async openPaygate(options = {}) {
      const cfg = runtime.config();
      const { key } = resolveMasterKey(cfg, runtime.warn);
      const database = openDatabase(cfg.databaseUrl);
      try {
        if (options.migrate ?? true) await migrateToLatest(database);
        const paygate = createPaygate({ database, masterKey: key, publicUrl: effectivePublicUrl(cfg), ...options.engine });
        return { paygate, database, config: cfg, close: () => database.close() };
      } catch (error) {
        await database.close().catch(() => undefined);
        throw error;
      }
    },
  };
  return runtime;
}

/** Runs `work` with an opened engine and always closes the database afterwards. */
export async function withPaygate<T>(runtime: CliRuntime, work: (session: PaygateSession) => Promise<T>, options?: OpenOptions): Promise<T> {
  const session = await runtime.openPaygate(options);
  try {
    return await work(session);
  } finally {
    await session.close();
  }
}
