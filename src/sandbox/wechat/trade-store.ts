/**
 * Sandbox trades on a SandboxStateStore (the `sandbox_state` table embedded, memory standalone),
 * with indexes by prepay_id, transaction_id, NATIVE code token and refund numbers. Changes to one
 * trade are serialised in-process, so two "Pay" clicks or two refunds cannot both pass.
 */
import { KeyLock } from '../key-lock.js';
import type { SandboxStateStore } from '../state-store.js';
import type { SandboxTrade } from './trade.js';

export class TradeStore {
  private readonly lock = new KeyLock();

  constructor(private readonly store: SandboxStateStore) {}

  static keyOf(mchid: string, outTradeNo: string): string {
    return `trade:${mchid}:${outTradeNo}`;
  }

  get(mchid: string, outTradeNo: string): Promise<SandboxTrade | undefined> {
    return this.store.get<SandboxTrade>(TradeStore.keyOf(mchid, outTradeNo));
  }

  private async byIndex(index: string): Promise<SandboxTrade | undefined> {
    const key = await this.store.get<string>(index);
    return key ? this.store.get<SandboxTrade>(key) : undefined;
  }

  byPrepayId(prepayId: string): Promise<SandboxTrade | undefined> {
    return this.byIndex(`prepay:${prepayId}`);
  }

  byTransactionId(transactionId: string): Promise<SandboxTrade | undefined> {
    return this.byIndex(`txn:${transactionId}`);
  }

  byCodeToken(token: string): Promise<SandboxTrade | undefined> {
    return this.byIndex(`code:${token}`);
  }

  byOutRefundNo(mchid: string, outRefundNo: string): Promise<SandboxTrade | undefined> {
    return this.byIndex(`refund:${mchid}:${outRefundNo}`);
  }

  byRefundId(refundId: string): Promise<SandboxTrade | undefined> {
    return this.byIndex(`refundid:${refundId}`);
  }

  async list(): Promise<SandboxTrade[]> {
    return (await this.store.list<SandboxTrade>('trade:')).sort((a, b) => b.created_at - a.created_at);
  }

  /** Saves a trade and every index its current state calls for. */
  async save(trade: SandboxTrade): Promise<void> {
    const key = TradeStore.keyOf(trade.mchid, trade.out_trade_no);
    await this.store.put(key, trade);
    await this.store.put(`prepay:${trade.prepay_id}`, key);
    if (trade.code_token) await this.store.put(`code:${trade.code_token}`, key);
    if (trade.transaction_id) await this.store.put(`txn:${trade.transaction_id}`, key);
    for (const refund of trade.refunds) {
      await this.store.put(`refund:${trade.mchid}:${refund.out_refund_no}`, key);
      await this.store.put(`refundid:${refund.refund_id}`, key);
    }
  }

  /** Runs `work` with the trade locked against other changes in this process. */
  async withLock<T>(mchid: string, outTradeNo: string, work: () => Promise<T>): Promise<T> {
    return this.lock.run(TradeStore.keyOf(mchid, outTradeNo), work);
  }
}
