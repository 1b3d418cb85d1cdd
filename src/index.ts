/**
 * paygate as a library (PRODUCT.md §7): embed the engine in a Node application with your own
 * transaction-type handlers, and optionally serve paygate's HTTP API from the same process.
 *
 * ```ts
 * import { createPaygate, openDatabase, migrateToLatest, buildServer } from 'paygate';
 * const database = openDatabase('sqlite:./data/paygate.db');
 * await migrateToLatest(database);
 * const paygate = createPaygate({ database, masterKey: process.env.PAYGATE_MASTER_KEY, transactionHandlers: [
 *   { type: 'recharge', onSuccess: async (charge) => creditWallet(charge.metadata.user, charge.amount) },
 * ] });
 * ```
 */
export { createPaygate } from './engine/paygate.js';
export type { Paygate, PaygateOptions } from './engine/paygate.js';
export { buildServer } from './http/server.js';
/** Library users who write charges must run a dispatcher (here or in `paygate worker`) so webhooks go out. */
export { startWebhookDispatcher } from './webhooks/worker.js';
export { openDatabase, DEFAULT_DATABASE_URL } from './store/database.js';
export type { Database, DialectName } from './store/database.js';
export { migrateToLatest } from './store/migrate.js';
export { loadConfig, resolveMasterKey, ConfigError } from './config.js';
export type { PaygateConfig } from './config.js';

export type { TransactionHandler, AutoShipParameters } from './engine/transaction-types.js';
export type { ChargeBus, ChargeChange, ChargeListener } from './engine/charge-bus.js';
export type {
  Scope, ChargeObject, RefundObject, EventObject, ChannelObject, AppObject, AppKeys, ListObject,
  ChargeCreateInput, ChannelCreateInput, ChannelUpdateInput, SimulateOutcome, ListParams,
} from './engine/api-types.js';
export type { ChannelType, ChannelContext, ChannelConfig, ChargeView, OptionField, InboundRequest, OutboundReply, NotifyParseResult } from './channels/contract.js';
export { BUILT_IN_CHANNEL_TYPES } from './channels/registry.js';

export { PaygateError, ERRORS, isPaygateError } from './core/errors.js';
export type { ErrorCode, ErrorType } from './core/errors.js';
export type { ChargeStatus } from './core/charge-state.js';
export { toMajorString, parseMajorString } from './core/money.js';
export type { Clock } from './core/clock.js';
export { systemClock } from './core/clock.js';
