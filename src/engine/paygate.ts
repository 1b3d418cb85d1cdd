/**
 * The composition root of the engine: `createPaygate(...)` wires storage, channels, handlers,
 * secrets and time, and returns the operations the HTTP API, the CLI, the console and library
 * users call. Everything here is a thin binding of the use-case modules beside it.
 */
import { randomBytes } from 'node:crypto';
import type { Clock } from '../core/clock.js';
import { systemClock } from '../core/clock.js';
import type { ChannelType, InboundRequest, OutboundReply, ShipmentView } from '../channels/contract.js';
import { BUILT_IN_CHANNEL_TYPES, ChannelRegistry } from '../channels/registry.js';
import type { Database } from '../store/database.js';
import { createSecretBox, parseMasterKey } from '../store/secret-box.js';
import { TransactionTypeRegistry, type TransactionHandler } from './transaction-types.js';
import { inProcessChargeBus, type ChargeBus } from './charge-bus.js';
import type { EngineDeps } from './deps.js';
import type { ChannelCreateInput, ChannelUpdateInput, ChargeCreateInput, ListParams, Scope, SimulateOutcome } from './api-types.js';
import { createApp, getApp, listApps, rollKey, updateApp, authenticateKey, type AppCreateInput, type KeyKind } from './apps.js';
import { createChannel, updateChannel, deleteChannel, listChannels, channelConfigs, findChannelRow, toChannelObject } from './channels.js';
import { createCharge } from './create-charge.js';
import { retrieveCharge, listCharges, retrieveEvent, listEvents, chargeLog } from './charge-queries.js';
import { reverseCharge } from './reverse-charge.js';
import { shipCharge } from './ship-charge.js';
import { simulateCharge, confirmCharge } from './simulate-charge.js';
import { refundCharge, listRefunds, getRefund, type RefundInput } from './refund-charge.js';
import { ingestNotify } from './ingest-notify.js';
import { expirePendingCharges, reconcilePendingCharges } from './jobs.js';
import { cashierView, cashierPay } from './test-cashier.js';
import { LookupCache, KEY_CACHE_TTL_MS, CHANNEL_CACHE_TTL_MS } from './lookup-cache.js';
import { batchedChargeReader } from './charge-reader.js';

export interface PaygateOptions {
  readonly database: Database;
  /** Public base URL (notify/return URLs are built from it). Default `http://127.0.0.1:8080`. */
  readonly publicUrl?: string;
  /** 32 bytes (or its hex/base64 text) encrypting channel secrets. Required for a file or server
   * database; an in-memory database may omit it (a random key is used). */
  readonly masterKey?: Buffer | string;
  readonly clock?: Clock;
  readonly channelTypes?: readonly ChannelType[];
  readonly transactionHandlers?: readonly TransactionHandler[];
  readonly bus?: ChargeBus;
  readonly defaultExpirySeconds?: number;
  readonly channelTimeoutMs?: number;
}

export type Paygate = ReturnType<typeof createPaygate>;

export function createPaygate(options: PaygateOptions) {
  const key = options.masterKey === undefined ? undefined : typeof options.masterKey === 'string' ? parseMasterKey(options.masterKey) : options.masterKey;
  if (!key && !options.database.url.endsWith(':memory:')) throw new Error('createPaygate needs a masterKey (32 bytes) to encrypt channel secrets');
  const clock = options.clock ?? systemClock;
  const deps: EngineDeps = {
    database: options.database,
    clock,
    caches: { keys: new LookupCache(clock, KEY_CACHE_TTL_MS), channels: new LookupCache(clock, CHANNEL_CACHE_TTL_MS) },
    readers: { charges: batchedChargeReader(options.database) },
    channels: new ChannelRegistry(options.channelTypes ?? BUILT_IN_CHANNEL_TYPES),
    transactionTypes: new TransactionTypeRegistry(options.transactionHandlers),
    secrets: createSecretBox(key ?? randomBytes(32)),
    bus: options.bus ?? inProcessChargeBus(),
    config: {
      publicUrl: options.publicUrl ?? 'http://127.0.0.1:8080',
      defaultExpirySeconds: options.defaultExpirySeconds ?? 3600,
      channelTimeoutMs: options.channelTimeoutMs ?? 15_000,
    },
  };

  return {
    deps,
    get publicUrl(): string { return deps.config.publicUrl; },
    setPublicUrl(url: string): void { deps.config.publicUrl = url.replace(/\/+$/, ''); },
    authenticate: (key: string) => authenticateKey(deps, key),
    apps: {
      create: (input: AppCreateInput) => createApp(deps, input),
      retrieve: (id: string) => getApp(deps, id),
      list: () => listApps(deps),
      update: (id: string, input: Partial<AppCreateInput>) => updateApp(deps, id, input),
      rollKey: (id: string, kind: KeyKind, livemode: boolean) => rollKey(deps, id, kind, livemode),
    },
    channels: {
      create: (appId: string, input: ChannelCreateInput) => createChannel(deps, appId, input),
      update: (appId: string, id: string, input: ChannelUpdateInput) => updateChannel(deps, appId, id, input),
      delete: (appId: string, id: string) => deleteChannel(deps, appId, id),
      list: (appId: string, filter?: { livemode?: boolean }) => listChannels(deps, appId, filter),
      retrieve: async (appId: string, id: string) => toChannelObject(deps, await findChannelRow(deps, appId, id)),
      configs: (filter: { type: string; livemode: boolean }) => channelConfigs(deps, filter),
      types: () => deps.channels.types(),
    },
    charges: {
      create: (scope: Scope, input: ChargeCreateInput) => createCharge(deps, scope, input),
      retrieve: (scope: Scope, id: string) => retrieveCharge(deps, scope, id),
      list: (scope: Scope, params?: ListParams & { status?: string; channel?: string }) => listCharges(deps, scope, params),
      reverse: (scope: Scope, id: string) => reverseCharge(deps, scope, id),
      ship: (scope: Scope, id: string, shipment: Partial<ShipmentView>) => shipCharge(deps, scope, id, shipment),
      confirm: (scope: Scope, id: string) => confirmCharge(deps, scope, id),
      simulate: (scope: Scope, id: string, outcome: SimulateOutcome | string) => simulateCharge(deps, scope, id, outcome),
      refund: (scope: Scope, id: string, input?: RefundInput) => refundCharge(deps, scope, id, input),
      refunds: (scope: Scope, id: string) => listRefunds(deps, scope, id),
      retrieveRefund: (scope: Scope, id: string, refundId: string) => getRefund(deps, scope, id, refundId),
      log: (id: string) => chargeLog(deps, id),
    },
    events: {
      retrieve: (scope: Scope, id: string) => retrieveEvent(deps, scope, id),
      list: (scope: Scope, params?: ListParams & { type?: string; charge?: string }) => listEvents(deps, scope, params),
    },
    notify: {
      ingest: async (channelId: string, request: InboundRequest): Promise<OutboundReply> => (await ingestNotify(deps, channelId, request, 'notify')).reply,
      ingestDetailed: (channelId: string, request: InboundRequest) => ingestNotify(deps, channelId, request, 'notify'),
      ingestReturn: async (channelId: string, request: InboundRequest): Promise<{ redirect: string; charge_id?: string }> => {
        const result = await ingestNotify(deps, channelId, request, 'return');
        return { redirect: result.charge_id ? `${deps.config.publicUrl}/pay/result/${result.charge_id}` : `${deps.config.publicUrl}/pay/result/unknown`, charge_id: result.charge_id };
      },
    },
    testCashier: {
      view: (chargeId: string) => cashierView(deps, chargeId),
      pay: (chargeId: string, action: 'pay' | 'fail', password?: string) => cashierPay(deps, chargeId, action, password),
    },
    jobs: {
      expire: () => expirePendingCharges(deps),
      reconcile: (minAgeMs?: number) => reconcilePendingCharges(deps, minAgeMs),
    },
    bus: deps.bus,
    close: () => options.database.close(),
  };
}
