/**
 * The `paygate` command: `main(argv)` builds the commander program from `commands/index.ts` and
 * runs it. Exit codes: 0 success, 1 failure, 2 invalid configuration (a `ConfigError` naming the
 * environment variable). Run directly (`node dist/cli/main.js serve`) or through `bin/paygate.js`.
 */
import { readFileSync, realpathSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config.js';
import { PaygateError } from '../core/errors.js';
import { COMMANDS } from './commands/index.js';
import { createRuntime, type CliIO } from './runtime.js';

/** The process's own environment and streams. */
export function processIO(): CliIO {
  return {
    env: process.env,
    cwd: process.cwd(),
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
  };
}

function packageVersion(): string {
  // src/cli/main.ts and dist/cli/main.js both sit two levels below the package root.
  const file = fileURLToPath(new URL('../../package.json', import.meta.url));
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { version?: string }).version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/** Builds the program with every registered command; exported for `--help` tests. */
export function buildProgram(io: CliIO): Command {
  const cli = createRuntime(io);
  const program = new Command('paygate')
    .description('Self-hosted payment gateway: one charge API over Alipay, WeChat Pay and a test channel.\nConfigured by environment variables (see docs/configuration.md): PORT, HOST, DATABASE_URL, PAYGATE_PUBLIC_URL, PAYGATE_MASTER_KEY, PAYGATE_ADMIN_PASSWORD, PAYGATE_RETRY_SCHEDULE, PAYGATE_DATA_DIR.')
    .version(packageVersion(), '-v, --version', 'print the paygate version')
    .helpOption('-h, --help', 'show help for a command')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  for (const register of COMMANDS) register(program, cli);
  return program;
}

/**
 * Runs the CLI with `argv` in `process.argv` form (node, script, ...args) and returns the exit
 * code. Without `io` it uses the process's streams and also sets `process.exitCode`.
 */
export async function main(argv: readonly string[] = process.argv, io?: CliIO): Promise<number> {
  const effectiveIo = io ?? processIO();
  const code = await run(argv, effectiveIo);
  if (!io) process.exitCode = code;
  return code;
}

async function run(argv: readonly string[], io: CliIO): Promise<number> {
  const program = buildProgram(io);
  if (argv.length <= 2) {
    program.outputHelp();
    return 0;
  }
  try {
    await program.parseAsync([...argv]);
    return 0;
  } catch (error) {
    return reportFailure(error, io);
  }
}

function reportFailure(error: unknown, io: CliIO): number {
  // Commander has already printed its own message (usage errors, help, version).
  if (error instanceof CommanderError) return error.exitCode;
  if (error instanceof ConfigError) {
    io.stderr(`paygate: configuration error: ${error.message}\n`);
    return 2;
  }
  if (error instanceof PaygateError) {
    io.stderr(`paygate: ${error.code}: ${error.message}${error.param ? ` (param: ${error.param})` : ''}\n`);
    return 1;
  }
  const message = error instanceof Error ? error.message : String(error);
  io.stderr(`paygate: ${message}\n`);
  if (io.env.PAYGATE_DEBUG && error instanceof Error && error.stack) io.stderr(`${error.stack}\n`);
  return 1;
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(script)).href;
  } catch {
    return false;
  }
}

if (isEntryPoint()) await main();
