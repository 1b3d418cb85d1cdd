/**
 * A PostgreSQL LISTEN connection for cross-process wake-ups: the triggers of migration 002
 * `pg_notify` on `paygate_outbox` (an event was written) and `paygate_charge` (a charge moved)
 * when their transaction commits. One dedicated client per listener; it reconnects with a
 * growing pause if the connection drops. Notifications are hints, never the source of truth:
 * whoever listens also re-reads the database, so a notification lost during a reconnect costs
 * only latency.
 */
import pg from 'pg';

export type NotificationHandler = (channel: string, payload: string) => void;

export interface PgListener {
  /** Resolves once the first LISTEN is in place. */
  readonly ready: Promise<void>;
  close(): Promise<void>;
}

export function listenPostgres(url: string, channels: readonly string[], onNotify: NotificationHandler, onReconnect?: () => void): PgListener {
  let client: pg.Client | undefined;
  let closed = false;
  let pause = 250;
  let timer: NodeJS.Timeout | undefined;
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => { markReady = resolve; });

  async function connect(first: boolean): Promise<void> {
    if (closed) return;
    const next = new pg.Client({ connectionString: url });
    next.on('notification', (message) => onNotify(message.channel, message.payload ?? ''));
    next.on('error', () => scheduleReconnect(next));
    next.on('end', () => scheduleReconnect(next));
    try {
      await next.connect();
      for (const channel of channels) await next.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    } catch {
      scheduleReconnect(next);
      return;
    }
    if (closed) return void next.end().catch(() => undefined);
    client = next;
    pause = 250;
    markReady();
    // Anything may have happened while we were away.
    if (!first) onReconnect?.();
  }

  function scheduleReconnect(failed: pg.Client): void {
    if (closed || (client !== undefined && client !== failed) || timer) return;
    client = undefined;
    failed.end().catch(() => undefined);
    timer = setTimeout(() => {
      timer = undefined;
      void connect(false);
    }, pause);
    timer.unref();
    pause = Math.min(pause * 2, 10_000);
  }

  void connect(true);
  return {
    ready,
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      markReady();
      const current = client;
      client = undefined;
      await current?.end().catch(() => undefined);
    },
  };
}
