/**
 * The Alipay sandbox's state and the one way trades change: load (closing an expired trade
 * as Alipay would), apply a rule from trade.ts under the trade's lock, save, then send the
 * notify the change calls for. The HTTP side (gateway, cashier) is a thin layer over this.
 */
import type { Clock } from '../../core/clock.js';
import { systemClock } from '../../core/clock.js';
import type { SandboxStateStore } from '../state-store.js';
import type { MerchantDirectory, SandboxMerchant } from './merchants.js';
import type { SandboxKeys } from './sandbox-keys.js';
import { TradeStore } from './trade-store.js';
import { Notifier, httpPoster, scheduleFromEnv, type NotifyDelivery, type NotifyPoster } from './notifier.js';
import { expireIfDue, type NotifyKind, type SandboxTrade, type TradeChange } from './trade.js';
import { newNotifyId, notifyParams, returnParams, type MessageKeys } from './messages.js';

export type CashierMode = 'auto' | 'interactive';

export interface AlipaySandboxConfig {
  readonly store: SandboxStateStore;
  readonly merchants: MerchantDirectory;
  /** The sandbox's own Alipay key pair. */
  readonly keys: () => Promise<SandboxKeys>;
  /** Public URL of the sandbox's root (no trailing slash), for cashier and QR links. */
  readonly baseUrl: () => string;
  /** Intervals between notify sends; default Alipay's, or PAYGATE_SANDBOX_RETRY_SCHEDULE. */
  readonly retrySchedule?: readonly number[];
  readonly poster?: NotifyPoster;
  readonly clock?: Clock;
  /** `auto`: opening a pay URL or QR code pays. `interactive`: the buyer chooses Pay or Fail. */
  readonly mode?: CashierMode;
  /**
   * Which notify_url / return_url a request may name (default: any). Embedded in paygate, the
   * sandbox posts from inside paygate's network, so it only calls back where it is told it may.
   */
  readonly callbackAllowed?: (url: string) => boolean;
}

const KEY_CACHE_MS = 30_000;
const CLOSE_WAIT_MS = 5_000;

export class AlipaySandbox {
  readonly trades: TradeStore;
  readonly notifier: Notifier;
  readonly merchants: MerchantDirectory;
  readonly mode: CashierMode;
  private readonly clock: Clock;
  private cachedKeys: { keys: SandboxKeys; at: number } | undefined;
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(private readonly config: AlipaySandboxConfig) {
    this.clock = config.clock ?? systemClock;
    this.trades = new TradeStore(config.store);
    this.notifier = new Notifier(config.store, config.retrySchedule ?? scheduleFromEnv(), config.poster ?? httpPoster, () => this.clock.now());
    this.merchants = config.merchants;
    this.mode = config.mode ?? (process.env.PAYGATE_SANDBOX_MODE === 'interactive' ? 'interactive' : 'auto');
  }

  now(): number {
    return this.clock.now();
  }

  /** Whether the sandbox may post a notify to (or redirect a buyer to) this URL. */
  callbackAllowed(url: string | undefined): boolean {
    return url === undefined || (this.config.callbackAllowed?.(url) ?? true);
  }

  baseUrl(): string {
    return this.config.baseUrl().replace(/\/+$/, '');
  }

  async keys(): Promise<SandboxKeys> {
    if (!this.cachedKeys || this.now() - this.cachedKeys.at > KEY_CACHE_MS) this.cachedKeys = { keys: await this.config.keys(), at: this.now() };
    return this.cachedKeys.keys;
  }

  /** A trade, closed first if it expired unpaid (and that close notified). */
  async load(sellerId: string, outTradeNo: string): Promise<SandboxTrade | undefined> {
    const trade = await this.trades.get(sellerId, outTradeNo);
    if (!trade || !expireIfDue(trade, this.now())) return trade;
    const change = await this.change(trade, (t) => expireIfDue(t, this.now()) ?? { refused: false, trade: t });
    return change.refused ? trade : change.trade;
  }

  /**
   * Applies `rule` to the trade's latest saved state under its lock and saves the result. The
   * notify it calls for is sent after the lock is released; `awaitNotify` waits for its first
   * attempt (the cashier does, so a simulated payment has landed when it answers).
   */
  async change<C extends TradeChange>(trade: SandboxTrade, rule: (current: SandboxTrade) => C, options: { awaitNotify?: boolean } = {}): Promise<C & { delivery?: NotifyDelivery }> {
    const result = await this.trades.withLock(trade.seller_id, trade.out_trade_no, async () => {
      const current = (await this.trades.get(trade.seller_id, trade.out_trade_no)) ?? trade;
      const outcome = rule(current);
      if (!outcome.refused && outcome.trade !== current) await this.trades.save(outcome.trade);
      return outcome;
    });
    if (!result.refused && result.notify) {
      const sending = this.notify(result.trade, result.notify);
      if (options.awaitNotify) {
        const delivery = await sending;
        return delivery ? { ...result, delivery } : result;
      }
      this.track(sending);
    }
    return result;
  }

  /** Sends a notify about the trade, if it has a notify_url. */
  async notify(trade: SandboxTrade, kind: NotifyKind): Promise<NotifyDelivery | undefined> {
    if (!trade.notify_url) return undefined;
    const notifyId = newNotifyId(this.now());
    const params = notifyParams(trade, kind, notifyId, this.now(), await this.messageKeys(trade));
    return this.notifier.send({ notify_id: notifyId, url: trade.notify_url, params, trade: TradeStore.keyOf(trade.seller_id, trade.out_trade_no), ...(trade.partner ? { partner: trade.partner } : {}) });
  }

  /** Where the buyer's browser goes after paying: return_url with signed params. */
  async returnUrl(trade: SandboxTrade): Promise<string | undefined> {
    if (!trade.return_url) return undefined;
    const params = returnParams(trade, this.now(), await this.messageKeys(trade), newNotifyId(this.now()));
    const url = new URL(trade.return_url);
    for (const [key, value] of Object.entries(params)) url.searchParams.append(key, value);
    return url.toString();
  }

  cashierUrl(trade: Pick<SandboxTrade, 'seller_id' | 'out_trade_no'>): string {
    return `${this.baseUrl()}/cashier?seller_id=${encodeURIComponent(trade.seller_id)}&out_trade_no=${encodeURIComponent(trade.out_trade_no)}`;
  }

  qrUrl(code: string): string {
    return `${this.baseUrl()}/qr/${code}`;
  }

  /** The merchant a mapi trade belongs to (for its MD5 key). */
  async mapiMerchant(trade: SandboxTrade): Promise<SandboxMerchant | undefined> {
    if (!trade.partner) return undefined;
    return (await this.merchants.byPartner(trade.partner)).find((m) => m.md5Key && m.sellerId === trade.seller_id);
  }

  /** Re-arms notify retries left from a previous run. */
  async start(): Promise<void> {
    await this.notifier.resume();
  }

  /** Stops retries and waits (a few seconds at most) for notifies already on the wire. */
  async close(): Promise<void> {
    this.notifier.close();
    let timer: NodeJS.Timeout | undefined;
    const cap = new Promise<void>((resolve) => { timer = setTimeout(resolve, CLOSE_WAIT_MS); });
    await Promise.race([Promise.allSettled([...this.inFlight]), cap]);
    clearTimeout(timer);
  }

  private async messageKeys(trade: SandboxTrade): Promise<MessageKeys> {
    const { alipayPrivateKey } = await this.keys();
    if (trade.protocol === 'openapi') return { alipayPrivateKey };
    const merchant = await this.mapiMerchant(trade);
    return { alipayPrivateKey, ...(merchant?.md5Key ? { md5Key: merchant.md5Key } : {}) };
  }

  private track(promise: Promise<unknown>): void {
    const tracked = promise.catch(() => undefined).finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
  }
}
