/**
 * Configured channels of an app: create, read (secrets masked), update, enable/disable, delete
 * (refused while charges are pending). Enabling a channel emits `channel.enabled` (seed 001's
 * `open_payment`) in the same transaction.
 */
import type { ChannelConfig } from '../channels/contract.js';
import { fail } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { validateFeeRule } from '../core/fees.js';
import type { ChannelCreateInput, ChannelObject, ChannelUpdateInput, Scope } from './api-types.js';
import type { EngineDeps } from './deps.js';
import { validateChannelOptions, maskedOptions } from './channel-options.js';
import { channelConfig, type ChannelRow } from './channel-context.js';
import { parseJsonObject } from './charge-object.js';
import { inTransaction, type UnitOfWork } from './unit-of-work.js';
import { recordEvent } from './outbox.js';
import { getApp } from './apps.js';

export function toChannelObject(deps: EngineDeps, row: ChannelRow): ChannelObject {
  const type = deps.channels.types().find((t) => t.type === row.type);
  const secret = row.secret_options ? (JSON.parse(deps.secrets.open(row.secret_options)) as Record<string, unknown>) : {};
  return {
    id: row.id, object: 'channel', app: row.app_id, type: row.type, name: row.name, livemode: row.livemode === 1,
    enabled: row.enabled === 1, options: maskedOptions(type, parseJsonObject(row.options), secret),
    fee: { percent_bp: row.fee_percent_bp, fixed: row.fee_fixed },
    transaction_types: row.transaction_types ? (JSON.parse(row.transaction_types) as string[]) : null,
    delegate: row.delegate_channel_id, codes: type ? [...type.codes] : [],
    created: Math.floor(row.created_at / 1000), updated: Math.floor(row.updated_at / 1000),
  };
}

export async function findChannelRow(deps: EngineDeps, appId: string | null, id: string): Promise<ChannelRow> {
  let query = deps.database.db.selectFrom('channels').selectAll().where('id', '=', id).where('deleted_at', 'is', null);
  if (appId) query = query.where('app_id', '=', appId);
  const row = await query.executeTakeFirst();
  if (!row) fail('resource_not_found', { param: 'id', message: `No such channel: ${id}` });
  return row;
}

function validateTransactionTypes(deps: EngineDeps, value: unknown): string[] | null {
  if (value === undefined || value === null) return null;
  if (!Array.isArray(value) || value.some((t) => typeof t !== 'string')) fail('parameter_invalid', { param: 'transaction_types', message: 'transaction_types must be a list of transaction type names, or null for all.' });
  for (const t of value as string[]) if (!deps.transactionTypes.has(t)) fail('transaction_type_unknown', { param: 'transaction_types', message: `Unknown transaction type "${t}"; use one of ${deps.transactionTypes.types().join(', ')}.` });
  return value as string[];
}

async function validateDelegate(deps: EngineDeps, appId: string, selfId: string | null, type: string, livemode: boolean, delegate: unknown): Promise<string | null> {
  if (delegate === undefined || delegate === null || delegate === '') return null;
  if (typeof delegate !== 'string') fail('parameter_invalid', { param: 'delegate', message: 'delegate must be a channel id.' });
  if (delegate === selfId) fail('parameter_invalid', { param: 'delegate', message: 'A channel cannot be its own delegate.' });
  const target = await deps.database.db.selectFrom('channels').selectAll().where('id', '=', delegate).where('app_id', '=', appId).where('deleted_at', 'is', null).executeTakeFirst();
  if (!target) fail('parameter_invalid', { param: 'delegate', message: `No channel ${delegate} in this app to pay on behalf of this one.` });
  if (target.type !== type || (target.livemode === 1) !== livemode) fail('parameter_invalid', { param: 'delegate', message: 'The delegate must be a channel of the same type and mode.' });
  if (target.delegate_channel_id) fail('parameter_invalid', { param: 'delegate', message: 'The delegate itself pays on behalf of another channel; chains are not allowed.' });
  return delegate;
}

export async function createChannel(deps: EngineDeps, appId: string, input: ChannelCreateInput): Promise<ChannelObject> {
  await getApp(deps, appId);
  if (typeof input.type !== 'string') fail('parameter_missing', { param: 'type', message: 'type is required: one of ' + deps.channels.types().map((t) => t.type).join(', ') });
  const type = deps.channels.getType(input.type);
  const livemode = input.livemode === true;
  if (type.testOnly && livemode) fail('parameter_invalid', { param: 'livemode', message: `The ${type.type} channel exists in test mode only.` });
  if (input.options !== undefined && (typeof input.options !== 'object' || input.options === null || Array.isArray(input.options))) fail('parameter_invalid', { param: 'options', message: 'options must be an object.' });
  const { publicOptions, secretOptions } = validateChannelOptions(type, livemode, input.options ?? {});
  const fee = validateFeeRule(input.fee);
  const transactionTypes = validateTransactionTypes(deps, input.transaction_types);
  const delegate = await validateDelegate(deps, appId, null, type.type, livemode, input.delegate);
  const name = input.name === undefined ? type.title.en : String(input.name).trim();
  if (!name || name.length > 100) fail('parameter_invalid', { param: 'name', message: 'name must be 1 to 100 characters.' });
  const enabled = input.enabled !== false;
  const id = newId('channel');
  deps.caches.channels.clear();
  return inTransaction(deps, async (uow) => {
    await uow.trx.insertInto('channels').values({
      id, app_id: appId, type: type.type, name, livemode: livemode ? 1 : 0, enabled: enabled ? 1 : 0,
      options: JSON.stringify(publicOptions), secret_options: deps.secrets.seal(JSON.stringify(secretOptions)),
      fee_percent_bp: fee.percent_bp, fee_fixed: fee.fixed,
      transaction_types: transactionTypes ? JSON.stringify(transactionTypes) : null, delegate_channel_id: delegate,
      created_at: uow.now, updated_at: uow.now, deleted_at: null,
    }).execute();
    const row = await findRowIn(uow, id);
    const object = toChannelObject(deps, row);
    if (enabled) await emitEnabled(uow, object);
    uow.afterCommit(() => deps.caches.channels.clear());
    return object;
  });
}

export async function updateChannel(deps: EngineDeps, appId: string, id: string, input: ChannelUpdateInput): Promise<ChannelObject> {
  const row = await findChannelRow(deps, appId, id);
  const type = deps.channels.getType(row.type);
  const livemode = row.livemode === 1;
  const current = channelConfig(deps, row, { ...type, defaultOptions: undefined });
  const set: Record<string, unknown> = {};
  if (input.options !== undefined) {
    if (typeof input.options !== 'object' || input.options === null || Array.isArray(input.options)) fail('parameter_invalid', { param: 'options', message: 'options must be an object.' });
    const { publicOptions, secretOptions } = validateChannelOptions(type, livemode, input.options, current.options);
    set.options = JSON.stringify(publicOptions);
    set.secret_options = deps.secrets.seal(JSON.stringify(secretOptions));
  }
  if (input.fee !== undefined) {
    const fee = validateFeeRule(input.fee);
    set.fee_percent_bp = fee.percent_bp;
    set.fee_fixed = fee.fixed;
  }
  if (input.transaction_types !== undefined) {
    const types = validateTransactionTypes(deps, input.transaction_types);
    set.transaction_types = types ? JSON.stringify(types) : null;
  }
  if (input.delegate !== undefined) set.delegate_channel_id = await validateDelegate(deps, appId, id, row.type, livemode, input.delegate);
  if (input.name !== undefined) {
    const name = String(input.name).trim();
    if (!name || name.length > 100) fail('parameter_invalid', { param: 'name', message: 'name must be 1 to 100 characters.' });
    set.name = name;
  }
  if (input.enabled !== undefined) {
    if (typeof input.enabled !== 'boolean') fail('parameter_invalid', { param: 'enabled', message: 'enabled must be true or false.' });
    set.enabled = input.enabled ? 1 : 0;
  }
  deps.caches.channels.clear();
  return inTransaction(deps, async (uow) => {
    await uow.trx.updateTable('channels').set({ ...set, updated_at: uow.now }).where('id', '=', id).execute();
    const object = toChannelObject(deps, await findRowIn(uow, id));
    if (row.enabled === 0 && object.enabled) await emitEnabled(uow, object);
    uow.afterCommit(() => deps.caches.channels.clear());
    return object;
  });
}

export async function deleteChannel(deps: EngineDeps, appId: string, id: string): Promise<{ id: string; object: 'channel'; deleted: true }> {
  await findChannelRow(deps, appId, id);
  return inTransaction(deps, async (uow) => {
    const pending = await uow.trx.selectFrom('charges').select('id')
      .where((eb) => eb.or([eb('channel_id', '=', id), eb('paying_channel_id', '=', id)]))
      .where('status', 'in', ['created', 'pending', 'secured_paid', 'shipped']).limit(1).executeTakeFirst();
    if (pending) fail('channel_has_pending_charges', { message: `Channel ${id} has unfinished charges (e.g. ${pending.id}); close or finish them first.` });
    const delegating = await uow.trx.selectFrom('channels').select('id').where('delegate_channel_id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
    if (delegating) fail('parameter_invalid', { param: 'id', message: `Channel ${delegating.id} pays through this one; change its delegate first.` });
    await uow.trx.updateTable('channels').set({ deleted_at: uow.now, enabled: 0, updated_at: uow.now }).where('id', '=', id).execute();
    uow.afterCommit(() => deps.caches.channels.clear());
    return { id, object: 'channel' as const, deleted: true as const };
  });
}

export async function listChannels(deps: EngineDeps, appId: string, filter: { livemode?: boolean } = {}): Promise<ChannelObject[]> {
  let query = deps.database.db.selectFrom('channels').selectAll().where('app_id', '=', appId).where('deleted_at', 'is', null);
  if (filter.livemode !== undefined) query = query.where('livemode', '=', filter.livemode ? 1 : 0);
  const rows = await query.orderBy('created_at').orderBy('id').execute();
  return rows.map((row) => toChannelObject(deps, row));
}

/** Decrypted configurations of every channel of a type and mode (the embedded sandboxes use it). */
export async function channelConfigs(deps: EngineDeps, filter: { type: string; livemode: boolean }): Promise<ChannelConfig[]> {
  const type = deps.channels.getType(filter.type);
  const rows = await deps.database.db.selectFrom('channels').selectAll()
    .where('type', '=', filter.type).where('livemode', '=', filter.livemode ? 1 : 0).where('deleted_at', 'is', null).execute();
  return rows.map((row) => channelConfig(deps, row, type));
}

/** The enabled channel of the scope's app that serves `code` (or the one named by id). */
export async function resolveChargeChannel(deps: EngineDeps, scope: Scope, code: string, channelId?: string): Promise<ChannelRow> {
  const type = deps.channels.forCode(code);
  if (type.testOnly && scope.livemode) fail('channel_not_configured', { param: 'channel', message: `The ${code} channel exists in test mode only; use a test key.` });
  const all = await deps.caches.channels.get(`${scope.app_id}:${scope.livemode ? 1 : 0}:${type.type}`, () =>
    deps.database.db.selectFrom('channels').selectAll()
      .where('app_id', '=', scope.app_id).where('livemode', '=', scope.livemode ? 1 : 0)
      .where('type', '=', type.type).where('deleted_at', 'is', null)
      .orderBy('created_at').orderBy('id').execute());
  const rows = channelId ? all.filter((r) => r.id === channelId) : all;
  const row = rows.find((r) => r.enabled === 1);
  if (!row) {
    const what = channelId ? `channel ${channelId}` : `${type.type} channel`;
    fail(rows.length ? 'channel_disabled' : 'channel_not_configured', {
      param: channelId ? 'channel_id' : 'channel',
      message: rows.length ? `The ${what} is disabled.` : `The app has no ${scope.livemode ? 'live' : 'test'} ${what}; create one with POST /v1/channels.`,
    });
  }
  return row;
}

async function findRowIn(uow: UnitOfWork, id: string): Promise<ChannelRow> {
  return uow.trx.selectFrom('channels').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

async function emitEnabled(uow: UnitOfWork, channel: ChannelObject): Promise<void> {
  await recordEvent(uow, { type: 'channel.enabled', app_id: channel.app, livemode: channel.livemode, object: channel as unknown as Record<string, unknown>, channel_id: channel.id });
}
