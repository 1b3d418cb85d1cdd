/**
 * The WeChat Pay sandbox's state and the one way trades change: load (settling refunds that
 * are due), apply a rule from trade.ts under the trade's lock, save, then send the notifies the
 * change calls for (payment notify when paid, refund notify when a refund settles). The HTTP
 * side (v2 XML API, v3 JSON API, official-account API, pages) is a thin layer over this class.
 */
import type { Clock } from '../../core/clock.js';
import { systemClock } from '../../core/clock.js';
import { newNonce } from '../../channels/wechat/nonce.js';
import { signV3Response } from '../../channels/wechat/sign-v3.js';
import type { SandboxStateStore } from '../state-store.js';
import type { MerchantDirectory, SandboxMerchant } from './merchants.js';
import { merchantsByMchId } from './merchants.js';
import { httpPoster, Notifier, scheduleFromEnv, type NotifyPoster } from './notifier.js';
import type { PlatformIdentity } from './sandbox-keys.js';
import { TradeStore } from './trade-store.js';
import { isRefused, settleRefunds, type Refused, type SandboxRefund, type SandboxTrade } from './trade.js';
import { v2PaymentNotify, v2RefundNotify, v3PaymentNotify, v3RefundNotify } from './messages.js';
import { SandboxUsers } from './users.js';

export type CashierMode = 'auto' | 'interactive';

export interface WechatSandboxConfig {
  readonly store: SandboxStateStore;
  readonly merchants: MerchantDirectory;
  readonly platform: () => Promise<PlatformIdentity>;
  /** Public URL of the sandbox's root (no trailing slash): code_url, H5 and page links. */
  readonly baseUrl: () => string;
  readonly clock?: Clock;
  /** Intervals between notify sends; default WeChat's, or PAYGATE_SANDBOX_RETRY_SCHEDULE. */
  readonly retrySchedule?: readonly number[];
  readonly poster?: NotifyPoster;
  /** `auto`: opening a pay URL pays. `interactive`: the buyer chooses Pay or Fail. Default from PAYGATE_SANDBOX_MODE. */
  readonly mode?: CashierMode;
  /** How long a refund stays PROCESSING before it succeeds (default 1 s, PAYGATE_SANDBOX_REFUND_DELAY_MS). */
  readonly refundDelayMs?: number;
}

export class WechatSandbox {
  readonly trades: TradeStore;
  readonly users: SandboxUsers;
  readonly notifier: Notifier;
  readonly merchants: MerchantDirectory;
  readonly mode: CashierMode;
  readonly refundDelayMs: number;
  private readonly clock: Clock;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly config: WechatSandboxConfig) {
    this.clock = config.clock ?? systemClock;
    this.merchants = config.merchants;
    this.trades = new TradeStore(config.store);
    this.users = new SandboxUsers(config.store, async () => (await config.platform()).secret, () => this.now());
    this.notifier = new Notifier(config.store, config.retrySchedule ?? scheduleFromEnv(), config.poster ?? httpPoster, (body) => this.signV3(body), () => this.now());
    this.mode = config.mode ?? (process.env.PAYGATE_SANDBOX_MODE === 'interactive' ? 'interactive' : 'auto');
    this.refundDelayMs = config.refundDelayMs ?? Number(process.env.PAYGATE_SANDBOX_REFUND_DELAY_MS ?? 1000);
  }

  now(): number {
    return this.clock.now();
  }

  baseUrl(): string {
    return this.config.baseUrl().replace(/\/+$/, '');
  }

  platform(): Promise<PlatformIdentity> {
    return this.config.platform();
  }

  /** Resumes notifies left retrying by a previous process. */
  async start(): Promise<void> {
    await this.notifier.resume();
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await this.notifier.close();
  }

  /** Signs an answer or notify body as the platform (fresh timestamp and nonce). */
  async signV3(body: string): Promise<Record<string, string>> {
    const platform = await this.platform();
    return { ...signV3Response(body, { privateKey: platform.privateKey, serial: platform.serial, timestamp: Math.floor(this.now() / 1000), nonce: newNonce() }) };
  }

  /** The merchant a trade belongs to (the one whose key placed it, if still configured). */
  async merchantOf(trade: Pick<SandboxTrade, 'mchid' | 'appid'> & { merchant?: string }): Promise<SandboxMerchant | undefined> {
    const candidates = (await merchantsByMchId(this.merchants, trade.mchid)).filter((m) => m.appid === trade.appid);
    return candidates.find((m) => m.source === trade.merchant) ?? candidates[0];
  }

  /** A trade with the refunds that are due settled (and notified). */
  async load(mchid: string, outTradeNo: string): Promise<SandboxTrade | undefined> {
    const trade = await this.trades.get(mchid, outTradeNo);
    if (!trade || !trade.refunds.some((r) => r.status === 'PROCESSING' && this.now() - r.created_at >= this.refundDelayMs)) return trade;
    return this.settle(trade);
  }

  async insert(trade: SandboxTrade): Promise<void> {
    await this.trades.withLock(trade.mchid, trade.out_trade_no, () => this.trades.save(trade));
  }

  /**
   * Applies `rule` to the trade's latest state under its lock and saves the result; a payment
   * notify follows when the trade became paid. Resolves after the notify's first attempt, so a
   * simulated payment has reached the merchant when the page that made it answers.
   */
  async change(trade: SandboxTrade, rule: (current: SandboxTrade) => { trade: SandboxTrade } | Refused): Promise<{ trade: SandboxTrade } | Refused> {
    let before: SandboxTrade | undefined;
    const result = await this.trades.withLock(trade.mchid, trade.out_trade_no, async () => {
      const current = (await this.trades.get(trade.mchid, trade.out_trade_no)) ?? trade;
      before = current;
      const outcome = rule(current);
      if (!isRefused(outcome) && outcome.trade !== current) await this.trades.save(outcome.trade);
      return outcome;
    });
    if (!isRefused(result) && before && before.paid_at === undefined && result.trade.paid_at !== undefined) await this.notifyPayment(result.trade);
    if (!isRefused(result)) this.scheduleSettlement(result.trade);
    return result;
  }

  private async settle(trade: SandboxTrade): Promise<SandboxTrade> {
    let settled: SandboxRefund[] = [];
    const next = await this.trades.withLock(trade.mchid, trade.out_trade_no, async () => {
      const current = (await this.trades.get(trade.mchid, trade.out_trade_no)) ?? trade;
      const outcome = settleRefunds(current, this.now(), this.refundDelayMs);
      settled = outcome.settled;
      if (settled.length > 0) await this.trades.save(outcome.trade);
      return outcome.trade;
    });
    for (const refund of settled) await this.notifyRefund(next, refund);
    return next;
  }

  private scheduleSettlement(trade: SandboxTrade): void {
    const pending = trade.refunds.filter((r) => r.status === 'PROCESSING');
    if (pending.length === 0) return;
    const due = Math.min(...pending.map((r) => r.created_at + this.refundDelayMs)) - this.now();
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.load(trade.mchid, trade.out_trade_no).catch(() => undefined);
    }, Math.max(0, due) + 5);
    timer.unref();
    this.timers.add(timer);
  }

  private async notifyPayment(trade: SandboxTrade): Promise<void> {
    const merchant = await this.merchantOf(trade);
    if (!merchant) return;
    const body = trade.version === 'v3' ? v3PaymentNotify(trade, merchant, this.now()) : v2PaymentNotify(trade, merchant);
    await this.notifier.send({ version: trade.version, kind: 'payment', url: trade.notify_url, body, trade: `${trade.mchid}:${trade.out_trade_no}` });
  }

  private async notifyRefund(trade: SandboxTrade, refund: SandboxRefund): Promise<void> {
    if (!refund.notify_url) return;
    const merchant = await this.merchantOf(trade);
    if (!merchant) return;
    const body = refund.version === 'v3' ? v3RefundNotify(trade, refund, merchant, this.now()) : v2RefundNotify(trade, refund, merchant);
    await this.notifier.send({ version: refund.version, kind: 'refund', url: refund.notify_url, body, trade: `${trade.mchid}:${trade.out_trade_no}` });
  }
}
