/**
 * Tells watchers (SSE streams, tests) that a charge changed, after the change committed.
 * In-process by default; a PostgreSQL deployment plugs in a LISTEN/NOTIFY relay so every
 * process hears every change.
 */
export interface ChargeChange {
  readonly charge_id: string;
  readonly app_id: string;
  readonly status: string;
}

export type ChargeListener = (change: ChargeChange) => void;

export interface ChargeBus {
  publish(change: ChargeChange): void;
  subscribe(chargeId: string, listener: ChargeListener): () => void;
  /** Every change of every charge (dispatchers wake on it). */
  subscribeAll(listener: ChargeListener): () => void;
}

export function inProcessChargeBus(): ChargeBus {
  const byCharge = new Map<string, Set<ChargeListener>>();
  const all = new Set<ChargeListener>();
  return {
    publish(change) {
      for (const listener of byCharge.get(change.charge_id) ?? []) listener(change);
      for (const listener of all) listener(change);
    },
    subscribe(chargeId, listener) {
      let set = byCharge.get(chargeId);
      if (!set) byCharge.set(chargeId, (set = new Set()));
      set.add(listener);
      return () => {
        set.delete(listener);
        if (set.size === 0) byCharge.delete(chargeId);
      };
    },
    subscribeAll(listener) {
      all.add(listener);
      return () => all.delete(listener);
    },
  };
}
