/**
 * Sends notifies as WeChat Pay does: a POST to the merchant's `notify_url`, retried after 15s,
 * 15s, 30s, 3m, 10m, 20m, 30m, 30m, 30m, 60m, 3h, 3h, 3h, 6h, 6h (24h4m in all) until answered.
 * v2 counts an answer as received when it is HTTP 200 with `<return_code>SUCCESS</return_code>`;
 * v3 when it is HTTP 200 or 204 (the body is not read). v3 sends are signed afresh each time
 * (a new `Wechatpay-Timestamp`), the body stays the same. Tests compress the schedule with
 * `PAYGATE_SANDBOX_RETRY_SCHEDULE=1s,1s`. Every attempt is kept on the delivery, which lives in
 * the state store and resumes after a restart.
 */
import { randomUUID } from 'node:crypto';
import { parseWechatXml } from '../../channels/wechat/xml.js';
import { scheduleFromEnv as scheduleFromEnvOr } from '../retry-schedule.js';
import type { SandboxStateStore } from '../state-store.js';

export const WECHAT_RETRY_SCHEDULE = '15s,15s,30s,3m,10m,20m,30m,30m,30m,60m,3h,3h,3h,6h,6h';
const ATTEMPT_TIMEOUT_MS = 15_000;

export interface NotifyAttempt {
  readonly at: number;
  readonly status: number;
  readonly body: string;
}

export interface NotifyDelivery {
  readonly id: string;
  readonly version: 'v2' | 'v3';
  readonly kind: 'payment' | 'refund';
  readonly url: string;
  readonly body: string;
  /** `mchid:out_trade_no`, for the sandbox's pages and tests. */
  readonly trade: string;
  readonly created_at: number;
  readonly attempts: readonly NotifyAttempt[];
  readonly state: 'retrying' | 'delivered' | 'gave_up';
  readonly next_at?: number;
}

export type NotifyPoster = (url: string, body: string, headers: Readonly<Record<string, string>>) => Promise<{ status: number; body: string }>;
/** Signs a v3 body at send time (fresh timestamp and nonce). */
export type V3Signer = (body: string) => Promise<Readonly<Record<string, string>>>;

/** This sandbox's retry schedule in milliseconds (the environment may compress it). */
export function scheduleFromEnv(env: NodeJS.ProcessEnv = process.env): number[] {
  return scheduleFromEnvOr(WECHAT_RETRY_SCHEDULE, env);
}

export const httpPoster: NotifyPoster = async (url, body, headers) => {
  const response = await fetch(url, { method: 'POST', headers, body, redirect: 'manual', signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS) });
  return { status: response.status, body: await response.text() };
};

/** Whether WeChat would count this answer as "received". */
export function acknowledged(version: 'v2' | 'v3', status: number, body: string): boolean {
  if (version === 'v3') return status === 200 || status === 204;
  if (status !== 200) return false;
  const parsed = parseWechatXml(body.trim());
  return parsed.ok && parsed.fields.return_code === 'SUCCESS';
}

export class Notifier {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly running = new Set<Promise<unknown>>();
  private closed = false;

  constructor(
    private readonly store: SandboxStateStore,
    private readonly schedule: readonly number[],
    private readonly poster: NotifyPoster,
    private readonly signV3: V3Signer,
    private readonly now: () => number,
  ) {}

  /** Queues a notify and makes its first attempt; resolves after that attempt. */
  async send(input: Pick<NotifyDelivery, 'version' | 'kind' | 'url' | 'body' | 'trade'>): Promise<NotifyDelivery> {
    const delivery: NotifyDelivery = { ...input, id: randomUUID(), created_at: this.now(), attempts: [], state: 'retrying', next_at: this.now() };
    await this.store.put(`notify:${delivery.id}`, delivery);
    return this.track(this.attempt(delivery.id));
  }

  /** Picks up deliveries a previous process left retrying. */
  async resume(): Promise<void> {
    for (const delivery of await this.store.list<NotifyDelivery>('notify:')) {
      if (delivery.state === 'retrying') this.schedule_(delivery.id, Math.max(0, (delivery.next_at ?? 0) - this.now()));
    }
  }

  async list(trade?: string): Promise<NotifyDelivery[]> {
    const all = await this.store.list<NotifyDelivery>('notify:');
    return all.filter((d) => trade === undefined || d.trade === trade).sort((a, b) => a.created_at - b.created_at);
  }

  /** Waits until no attempt is in flight (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    await this.idle();
  }

  private track<T>(work: Promise<T>): Promise<T> {
    this.running.add(work);
    void work.finally(() => this.running.delete(work)).catch(() => undefined);
    return work;
  }

  private schedule_(id: string, delayMs: number): void {
    if (this.closed) return;
    clearTimeout(this.timers.get(id));
    const timer = setTimeout(() => {
      this.timers.delete(id);
      void this.track(this.attempt(id)).catch(() => undefined);
    }, delayMs);
    timer.unref();
    this.timers.set(id, timer);
  }

  private async attempt(id: string): Promise<NotifyDelivery> {
    const delivery = await this.store.get<NotifyDelivery>(`notify:${id}`);
    if (!delivery || delivery.state !== 'retrying') throw new Error(`no retrying notify ${id}`);
    let outcome: NotifyAttempt;
    try {
      const headers = delivery.version === 'v3'
        ? { 'content-type': 'application/json', 'user-agent': 'Mozilla/4.0', ...(await this.signV3(delivery.body)) }
        : { 'content-type': 'text/xml', 'user-agent': 'Mozilla/4.0' };
      const answer = await this.poster(delivery.url, delivery.body, headers);
      outcome = { at: this.now(), status: answer.status, body: answer.body.slice(0, 500) };
    } catch (error) {
      outcome = { at: this.now(), status: 0, body: error instanceof Error ? error.message : String(error) };
    }
    const attempts = [...delivery.attempts, outcome];
    const done = acknowledged(delivery.version, outcome.status, outcome.body);
    const retryIn = this.schedule[attempts.length - 1];
    const next: NotifyDelivery = done
      ? { ...delivery, attempts, state: 'delivered', next_at: undefined }
      : retryIn === undefined
        ? { ...delivery, attempts, state: 'gave_up', next_at: undefined }
        : { ...delivery, attempts, state: 'retrying', next_at: this.now() + retryIn };
    await this.store.put(`notify:${id}`, next);
    if (next.state === 'retrying') this.schedule_(id, retryIn!);
    return next;
  }
}
