/** What every engine operation is given: storage, time, channels, handlers, secrets, URLs. */
import type { Clock } from '../core/clock.js';
import type { ChannelRegistry } from '../channels/registry.js';
import type { Database } from '../store/database.js';
import type { SecretBox } from '../store/secret-box.js';
import type { TransactionTypeRegistry } from './transaction-types.js';
import type { ChargeBus } from './charge-bus.js';
import type { LookupCache } from './lookup-cache.js';
import type { KeyIdentity } from './apps.js';
import type { ChannelRow } from './channel-context.js';
import type { ChargeReader } from './charge-reader.js';

export interface EngineConfig {
  /** paygate's public base URL; channels build notify/return URLs from it. Mutable so a server
   * listening on port 0 can fill it in once it knows its port. */
  publicUrl: string;
  /** Default lifetime of a pending charge, seconds. */
  readonly defaultExpirySeconds: number;
  /** Timeout of one request to a channel provider, ms. */
  readonly channelTimeoutMs: number;
}

export interface EngineDeps {
  readonly database: Database;
  readonly clock: Clock;
  readonly channels: ChannelRegistry;
  readonly transactionTypes: TransactionTypeRegistry;
  readonly secrets: SecretBox;
  readonly bus: ChargeBus;
  readonly config: EngineConfig;
  /** Hot-path lookups (key → app, app's channels); cleared by every change made here. */
  readonly caches: { readonly keys: LookupCache<KeyIdentity | null>; readonly channels: LookupCache<ChannelRow[]> };
  /** Reads batched across concurrent requests (the notify path's charge read). */
  readonly readers: { readonly charges: ChargeReader };
}
