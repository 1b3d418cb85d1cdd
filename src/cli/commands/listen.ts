/**
 * `paygate listen --forward-to http://localhost:3000/hooks`: follow an app's events as they happen
 * and forward each, signed, to a local URL, printing one line per event with the local answer
 * (like `stripe listen`). The signing secret of the session is printed first: give it to the
 * receiver's `webhooks.verify`. Reads the database directly, so it works next to a running
 * `paygate serve` on the same DATABASE_URL; forwarding is independent of endpoint deliveries.
 */
import type { CommandRegistration } from './index.js';
import type { CliRuntime } from '../runtime.js';
import { pickApp } from './trigger.js';
import { toEventObject } from '../../engine/charge-queries.js';
import { tailEvents } from '../../webhooks/event-tail.js';
import { matchesEventType, checkEventPattern } from '../../webhooks/event-types.js';
import { createWebhookSender } from '../../webhooks/http-sender.js';
import { judgeResponse } from '../../webhooks/judge-response.js';
import { EVENT_ID_HEADER, SIGNATURE_HEADER, newWebhookSecret, signatureHeader } from '../../webhooks/signature.js';
import { checkWebhookUrl } from '../../webhooks/destination-guard.js';
import { listenPostgres } from '../../webhooks/pg-listener.js';
import { listenForStop } from '../stop-signal.js';

interface ListenOptions {
  forwardTo: string;
  app?: string;
  live?: boolean;
  events: string;
  secret?: string;
  interval: string;
}

export const listenCommand: CommandRegistration = (program, cli) => {
  program
    .command('listen')
    .description('forward an app\'s events, signed, to a local URL as they happen (like `stripe listen`)')
    .requiredOption('--forward-to <url>', 'where to POST each event, e.g. http://localhost:3000/hooks')
    .option('--app <id>', 'the app (default: the only app)')
    .option('--live', 'live-mode events (default: test mode)')
    .option('--events <types>', 'comma-separated event types or patterns', '*')
    .option('--secret <whsec>', 'sign with this secret instead of a new one (keeps the receiver\'s configuration across sessions)')
    .option('--interval <ms>', 'how often to look for new events (SQLite; PostgreSQL is notified at once)', '250')
    .action((options: ListenOptions) => listen(cli, options));
};

async function listen(cli: CliRuntime, options: ListenOptions): Promise<void> {
  const urlProblem = checkWebhookUrl(options.forwardTo, { allowPrivate: true });
  if (urlProblem) throw new Error(`--forward-to: ${urlProblem}`);
  const patterns = options.events.split(',').map((p) => p.trim()).filter(Boolean);
  for (const pattern of patterns) {
    const problem = checkEventPattern(pattern);
    if (problem) throw new Error(`--events: ${problem}`);
  }
  if (options.secret !== undefined && !/^whsec_\w+$/.test(options.secret)) throw new Error('--secret must look like whsec_…');
  const interval = Number(options.interval);
  if (!Number.isInteger(interval) || interval < 20) throw new Error('--interval must be an integer of at least 20 (ms)');
  const secret = options.secret ?? newWebhookSecret();

  const signal = listenForStop();
  const session = await cli.openPaygate().catch((error: unknown) => { signal.dispose(); throw error; });
  const { paygate } = session;
  const appId = await pickApp(paygate, options.app).catch(async (error: unknown) => {
    await session.close();
    signal.dispose();
    throw error;
  });
  const scope = { app_id: appId, livemode: Boolean(options.live) };
  const tail = await tailEvents(paygate.deps, scope);
  // Local development: the receiver is on this machine, so private addresses are allowed.
  const sender = createWebhookSender({ env: { PAYGATE_ALLOW_PRIVATE_WEBHOOKS: '1' } });
  cli.print(`Ready! Forwarding ${scope.livemode ? 'live' : 'test'} events of app ${appId} to ${options.forwardTo}`);
  cli.print(`Your webhook signing secret is ${secret} (pass it to webhooks.verify). Ctrl-C to stop.`);

  let stopped = false;
  let wake: () => void = () => undefined;
  const listener = session.database.dialect === 'postgres' ? listenPostgres(session.database.url, ['paygate_outbox'], () => wake()) : undefined;
  void signal.received.then(() => { stopped = true; wake(); });
  try {
    while (!stopped) {
      for (const row of await tail.poll()) {
        if (stopped || !matchesEventType(patterns, row.type)) continue;
        const body = JSON.stringify(toEventObject(row));
        const now = Date.now();
        const response = await sender.send({
          url: options.forwardTo, body, livemode: false,
          headers: { [EVENT_ID_HEADER]: row.id, 'Paygate-Event-Type': row.type, [SIGNATURE_HEADER]: signatureHeader(body, [secret], Math.floor(now / 1000)) },
        });
        const verdict = judgeResponse(response, false);
        const answer = response.status === null ? (response.error ?? 'no answer') : `[${response.status}]${verdict.succeeded ? '' : ` ${verdict.error}`}`;
        cli.print(`${new Date(now).toISOString().slice(11, 19)}  --> ${row.type} [${row.id}]  <-- ${answer} (${response.durationMs} ms)`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, listener ? Math.max(interval, 1000) : interval);
        wake = () => { clearTimeout(timer); resolve(); };
      });
    }
  } finally {
    await listener?.close();
    sender.close();
    await session.close();
    signal.dispose();
  }
  cli.print('paygate listen stopped.');
}
