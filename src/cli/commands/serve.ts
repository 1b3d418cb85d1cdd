/**
 * `paygate serve`: migrate, serve the API on HOST:PORT, seed the demo app on first start, run the
 * background jobs, and shut down gracefully on SIGINT/SIGTERM (in-flight requests and job runs
 * finish, then the database closes). A second signal exits at once (stop-signal.ts).
 */
import type { AddressInfo } from 'node:net';
import type { CommandRegistration } from './index.js';
import type { CliRuntime } from '../runtime.js';
import { effectivePublicUrl } from '../../config.js';
import { buildServer } from '../../http/server.js';
import { seedDemoIfEmpty, type SeedResult } from '../demo.js';
import { startupBanner } from '../banner.js';
import { BACKGROUND_JOBS, startBackgroundJobs } from '../background-jobs.js';
import { withAdvisoryLock } from '../advisory-lock.js';
import { listenForStop } from '../stop-signal.js';
import { redactUrl } from '../../store/database.js';
import { startWebhookDispatcher } from '../../webhooks/worker.js';

interface ServeOptions {
  jobs: boolean;
  demo: boolean;
  log?: string;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'];

export const serveCommand: CommandRegistration = (program, cli) => {
  program
    .command('serve')
    .description('migrate the database, create the demo app on first start, and serve the API on HOST:PORT (default 127.0.0.1:8080)')
    .option('--no-jobs', 'do not run background work in this process: charge expiry, reconciliation, webhook delivery (leave it to `paygate worker`)')
    .option('--no-demo', 'do not create the demo app on first start')
    .option('--log <level>', `log requests as JSON lines to stdout at this level (${LOG_LEVELS.join(', ')})`)
    .action((options: ServeOptions) => serve(cli, options));
};

async function serve(cli: CliRuntime, options: ServeOptions): Promise<void> {
  if (options.log !== undefined && !LOG_LEVELS.includes(options.log)) throw new Error(`--log must be one of ${LOG_LEVELS.join(', ')} (got "${options.log}")`);
  const stop = listenForStop();
  const session = await cli.openPaygate().catch((error: unknown) => { stop.dispose(); throw error; });
  const { paygate, database, config } = session;
  const server = buildServer({ paygate, logger: options.log ? { level: options.log } : false });
  try {
    await server.listen({ host: config.host, port: config.port });
  } catch (error) {
    await server.close().catch(() => undefined);
    await session.close();
    stop.dispose();
    throw new Error(`cannot listen on ${config.host}:${config.port}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const port = (server.server.address() as AddressInfo).port;
  const baseUrl = effectivePublicUrl(config, port);
  paygate.setPublicUrl(baseUrl);

  let seed: SeedResult = { created: false, demo: undefined, failures: [] };
  try {
    if (options.demo) {
      seed = await withAdvisoryLock(database, 'demo-seed', () => seedDemoIfEmpty({ paygate, dataDir: config.dataDir, baseUrl }));
      for (const failure of seed.failures) cli.warn(`demo channel not created: ${failure}`);
    }
    cli.print(await startupBanner({ paygate, config, baseUrl, firstStart: seed.created, demo: seed.demo }));
  } catch (error) {
    // A listening server would keep the process alive after the command has failed.
    await server.close().catch(() => undefined);
    await session.close();
    stop.dispose();
    throw error;
  }
  cli.print(`Database: ${redactUrl(config.databaseUrl)}. Press Ctrl-C to stop.`);

  const log = (line: string): void => cli.stderr(`paygate: ${line}\n`);
  const jobs = options.jobs ? startBackgroundJobs(paygate, BACKGROUND_JOBS.map((factory) => factory(paygate)), log) : undefined;
  // Webhook delivery is background work too: `--no-jobs` leaves it to `paygate worker` processes.
  const webhooks = options.jobs ? startWebhookDispatcher(paygate, { env: cli.env, log }) : undefined;

  const signal = await stop.received;
  cli.print(`${signal}: stopping (again to force)…`);
  try {
    await jobs?.stop();
    await webhooks?.stop();
    await server.close();
    await session.close();
  } finally {
    stop.dispose();
  }
  cli.print('paygate stopped.');
}
