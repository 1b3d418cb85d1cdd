/**
 * Persistence of sandbox trades on a SandboxStateStore (the database when embedded, memory or
 * the database standalone), with indexes by Alipay trade number and QR code. Changes to one
 * trade are serialised in-process, so concurrent refunds cannot both pass the cumulative cap.
 */
import { KeyLock } from '../key-lock.js';
import type { SandboxStateStore } from '../state-store.js';
import type { SandboxTrade } from './trade.js';

export class TradeStore {
  private readonly lock = new KeyLock();

  constructor(private readonly store: SandboxStateStore) {}

  static keyOf(sellerId: string, outTradeNo: string): string {
    return `trade:${sellerId}:${outTradeNo}`;
  }

  async get(sellerId: string, outTradeNo: string): Promise<SandboxTrade | undefined> {
    return this.store.get<SandboxTrade>(TradeStore.keyOf(sellerId, outTradeNo));
  }

  async byTradeNo(tradeNo: string): Promise<SandboxTrade | undefined> {
    const key = await this.store.get<string>(`tradeno:${tradeNo}`);
    return key ? this.store.get<SandboxTrade>(key) : undefined;
  }

  async byQrCode(code: string): Promise<SandboxTrade | undefined> {
    const key = await this.store.get<string>(`qr:${code}`);
    return key ? this.store.get<SandboxTrade>(key) : undefined;
  }

  async list(): Promise<SandboxTrade[]> {
    const trades = await this.store.list<SandboxTrade>('trade:');
    return trades.sort((a, b) => b.created_at - a.created_at);
  }

  /** Saves a new trade and its indexes. */
  async insert(trade: SandboxTrade, qrCode?: string): Promise<void> {
    const key = TradeStore.keyOf(trade.seller_id, trade.out_trade_no);
    await this.store.put(key, trade);
    await this.store.put(`tradeno:${trade.trade_no}`, key);
    if (qrCode) await this.store.put(`qr:${qrCode}`, key);
  }

  async save(trade: SandboxTrade): Promise<void> {
    await this.store.put(TradeStore.keyOf(trade.seller_id, trade.out_trade_no), trade);
  }

  /** Runs `work` with the trade's key locked against other changes in this process. */
  async withLock<T>(sellerId: string, outTradeNo: string, work: () => Promise<T>): Promise<T> {
    return this.lock.run(TradeStore.keyOf(sellerId, outTradeNo), work);
  }
}
