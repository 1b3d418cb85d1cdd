/**
 * `paygate worker`: deliver webhooks in a process of its own (`paygate serve` delivers too). Any
 * number of workers may share one PostgreSQL database: they split the work with
 * `FOR UPDATE SKIP LOCKED` and never send one delivery twice at the same time. Stops on
 * SIGINT/SIGTERM after the sends in flight have finished and been recorded.
 */
import type { CommandRegistration } from './index.js';
import { startWebhookDispatcher, workerSettings } from '../../webhooks/worker.js';
import { describeSchedule } from '../../webhooks/retry-schedule.js';
import { redactUrl } from '../../store/database.js';
import { listenForStop } from '../stop-signal.js';

export const workerCommand: CommandRegistration = (program, cli) => {
  program
    .command('worker')
    .description('deliver webhooks (the outbox) until stopped; several workers may share a PostgreSQL database')
    .option('--verbose', 'print every attempt, not only failures')
    .action(async (options: { verbose?: boolean }) => {
      const settings = workerSettings(cli.env);
      const stop = listenForStop();
      const session = await cli.openPaygate().catch((error: unknown) => { stop.dispose(); throw error; });
      const dispatcher = startWebhookDispatcher(session.paygate, { env: cli.env, verbose: options.verbose, log: (line) => cli.print(line) });
      cli.print(`paygate worker ${dispatcher.id}: delivering webhooks from ${redactUrl(session.config.databaseUrl)} (${describeSchedule(settings.schedule)}, ${settings.concurrency} at once, ${settings.timeoutMs / 1000} s deadline). Ctrl-C to stop.`);
      cli.print(`${await stop.received}: finishing the sends in flight (again to force)…`);
      await dispatcher.stop();
      await session.close();
      stop.dispose();
      cli.print(`paygate worker stopped (${dispatcher.stats.sent} sent, ${dispatcher.stats.succeeded} delivered).`);
    });
};
