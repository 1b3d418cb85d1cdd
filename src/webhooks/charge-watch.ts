/**
 * Who watches a charge (the SSE stream) hears when it changes: through the in-process charge bus,
 * and on PostgreSQL also through `LISTEN paygate_charge`, which migration 002's trigger fires at
 * the commit of every status change — whichever paygate process made it. A notification only
 * says "look again"; the watcher re-reads the charge, so duplicates are harmless.
 */
import type { ChargeBus } from '../engine/charge-bus.js';
import type { Database } from '../store/database.js';
import { listenPostgres, type PgListener } from './pg-listener.js';

export type ChargeChanged = () => void;

export interface ChargeWatch {
  /** Calls `listener` whenever charge `chargeId` may have changed; returns the unsubscribe. */
  subscribe(chargeId: string, listener: ChargeChanged): () => void;
  close(): Promise<void>;
}

export function createChargeWatch(source: { readonly bus: ChargeBus; readonly database: Database }): ChargeWatch {
  const remote = new Map<string, Set<ChargeChanged>>();
  let listener: PgListener | undefined;

  const notifyRemote = (channel: string, payload: string) => {
    if (channel !== 'paygate_charge') return;
    let chargeId: unknown;
    try {
      chargeId = (JSON.parse(payload) as { charge_id?: unknown }).charge_id;
    } catch {
      return;
    }
    if (typeof chargeId === 'string') for (const fn of remote.get(chargeId) ?? []) fn();
  };
  // After a reconnect anything may have been missed: everyone looks again.
  const notifyAll = () => { for (const set of remote.values()) for (const fn of set) fn(); };

  return {
    subscribe(chargeId, fn) {
      const unsubscribeLocal = source.bus.subscribe(chargeId, () => fn());
      if (source.database.dialect !== 'postgres') return unsubscribeLocal;
      listener ??= listenPostgres(source.database.url, ['paygate_charge'], notifyRemote, notifyAll);
      let set = remote.get(chargeId);
      if (!set) remote.set(chargeId, (set = new Set()));
      set.add(fn);
      // Until LISTEN is in place a change could slip by unheard: look again once it is.
      void listener.ready.then(() => { if (set.has(fn)) fn(); });
      return () => {
        unsubscribeLocal();
        set.delete(fn);
        if (set.size === 0) remote.delete(chargeId);
      };
    },
    async close() {
      remote.clear();
      await listener?.close();
      listener = undefined;
    },
  };
}
