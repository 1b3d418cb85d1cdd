/**
 * Sends async notifies as Alipay does: a form-encoded POST, retried until the answer body is
 * exactly `success` (7 characters), 8 sends in all at 4m, 10m, 10m, 1h, 2h, 6h and 15h after
 * the first. Tests compress the schedule with `PAYGATE_SANDBOX_RETRY_SCHEDULE=1s,1s`. Every
 * attempt is kept with the delivery, which survives restarts in the state store.
 */
import { scheduleFromEnv as scheduleFromEnvOr } from '../retry-schedule.js';
import type { SandboxStateStore } from '../state-store.js';
import { NOTIFY_SUCCESS } from '../../channels/alipay/protocol.js';

export const ALIPAY_RETRY_SCHEDULE = '4m,10m,10m,1h,2h,6h,15h';
const ATTEMPT_TIMEOUT_MS = 15_000;

export interface NotifyAttempt {
  readonly at: number;
  readonly status: number;
  readonly body: string;
}

export interface NotifyDelivery {
  readonly notify_id: string;
  readonly url: string;
  readonly params: Readonly<Record<string, string>>;
  /** The trade it is about (`seller:out_trade_no`), for the sandbox's pages. */
  readonly trade: string;
  /** Who may ask `notify_verify` about it (mapi). */
  readonly partner?: string;
  readonly created_at: number;
  readonly attempts: readonly NotifyAttempt[];
  readonly state: 'retrying' | 'delivered' | 'gave_up';
  readonly next_at?: number;
}

export type NotifyPoster = (url: string, body: string) => Promise<{ status: number; body: string }>;

/** This sandbox's retry schedule in milliseconds (the environment may compress it). */
export function scheduleFromEnv(env: NodeJS.ProcessEnv = process.env): number[] {
  return scheduleFromEnvOr(ALIPAY_RETRY_SCHEDULE, env);
}

export const httpPoster: NotifyPoster = async (url, body) => {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', 'user-agent': 'Mozilla/4.0 (paygate alipay sandbox)' },
    body,
    redirect: 'manual',
    signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
  });
  return { status: response.status, body: await response.text() };
};

export class Notifier {
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(
    private readonly store: SandboxStateStore,
    private readonly schedule: readonly number[],
    private readonly post: NotifyPoster = httpPoster,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records a notify and makes its first attempt (awaited); retries follow on the schedule. */
  async send(input: Pick<NotifyDelivery, 'notify_id' | 'url' | 'params' | 'trade' | 'partner'>): Promise<NotifyDelivery> {
    const delivery: NotifyDelivery = { ...input, created_at: this.now(), attempts: [], state: 'retrying' };
    await this.store.put(`notify:${delivery.notify_id}`, delivery);
    return this.attempt(delivery);
  }

  async get(notifyId: string): Promise<NotifyDelivery | undefined> {
    return this.store.get<NotifyDelivery>(`notify:${notifyId}`);
  }

  async list(): Promise<NotifyDelivery[]> {
    return (await this.store.list<NotifyDelivery>('notify:')).sort((a, b) => b.created_at - a.created_at);
  }

  /** Re-arms the retries of deliveries still under way (after a restart). */
  async resume(): Promise<void> {
    for (const delivery of await this.list()) {
      if (delivery.state === 'retrying') this.arm(delivery, Math.max(0, (delivery.next_at ?? this.now()) - this.now()));
    }
  }

  /** Stops pending retries (server shutdown); they resume from the store on the next start. */
  close(): void {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private async attempt(delivery: NotifyDelivery): Promise<NotifyDelivery> {
    let outcome: NotifyAttempt;
    try {
      const answer = await this.post(delivery.url, new URLSearchParams(delivery.params).toString());
      outcome = { at: this.now(), status: answer.status, body: answer.body.slice(0, 200) };
    } catch (error) {
      outcome = { at: this.now(), status: 0, body: error instanceof Error ? error.message : String(error) };
    }
    const attempts = [...delivery.attempts, outcome];
    // Only these exact 7 characters stop the retries: not "SUCCESS", not "success\n".
    const delivered = outcome.status >= 200 && outcome.status < 300 && outcome.body === NOTIFY_SUCCESS;
    const delay = this.schedule[attempts.length - 1];
    const next: NotifyDelivery = delivered
      ? { ...delivery, attempts, state: 'delivered', next_at: undefined }
      : delay === undefined
        ? { ...delivery, attempts, state: 'gave_up', next_at: undefined }
        : { ...delivery, attempts, state: 'retrying', next_at: this.now() + delay };
    await this.store.put(`notify:${delivery.notify_id}`, next);
    if (next.state === 'retrying' && delay !== undefined) this.arm(next, delay);
    return next;
  }

  private arm(delivery: NotifyDelivery, delayMs: number): void {
    if (this.closed) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.retry(delivery.notify_id);
    }, delayMs);
    timer.unref();
    this.timers.add(timer);
  }

  private async retry(notifyId: string): Promise<void> {
    if (this.closed) return;
    const current = await this.get(notifyId).catch(() => undefined);
    if (current?.state === 'retrying') await this.attempt(current).catch(() => undefined);
  }
}
