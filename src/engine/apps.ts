/**
 * Apps (tenants) and their API keys. Keys are random, shown once at creation or roll, and
 * stored as SHA-256 hashes; a key says its app, its kind (secret / publishable) and its mode.
 */
import { hash } from 'node:crypto';
import type { Selectable, Updateable } from 'kysely';
import type { AppsTable } from '../store/schema.js';
import { newId, randomBase62 } from '../core/ids.js';
import { fail } from '../core/errors.js';
import type { AppKeys, AppObject } from './api-types.js';
import type { EngineDeps } from './deps.js';

export type KeyKind = 'secret' | 'publishable';
export interface KeyIdentity {
  readonly app_id: string;
  readonly kind: KeyKind;
  readonly livemode: boolean;
}

/** Every authenticated request hashes its key: the one-shot `hash` costs a third of a Hash object. */
export function hashKey(key: string): string {
  return hash('sha256', key, 'hex');
}

function makeKey(kind: KeyKind, livemode: boolean): string {
  return `${kind === 'secret' ? 'sk' : 'pk'}_${livemode ? 'live' : 'test'}_${randomBase62(32)}`;
}

async function insertKey(deps: EngineDeps, appId: string, kind: KeyKind, livemode: boolean): Promise<string> {
  const key = makeKey(kind, livemode);
  await deps.database.db.insertInto('api_keys').values({
    key_hash: hashKey(key), app_id: appId, kind, livemode: livemode ? 1 : 0,
    hint: `${key.slice(0, 8)}…${key.slice(-4)}`, created_at: deps.clock.now(), revoked_at: null,
  }).execute();
  return key;
}

export interface AppCreateInput {
  name: string;
  requires_payment?: boolean;
  allowed_redirect_hosts?: string[];
}

export async function createApp(deps: EngineDeps, input: AppCreateInput): Promise<{ app: AppObject; keys: AppKeys }> {
  const name = typeof input.name === 'string' ? input.name.trim() : '';
  if (!name || name.length > 100) fail('parameter_invalid', { param: 'name', message: 'name is required, 1 to 100 characters.' });
  const hosts = validateHosts(input.allowed_redirect_hosts ?? []);
  const id = newId('app');
  const now = deps.clock.now();
  await deps.database.db.insertInto('apps').values({
    id, name, requires_payment: input.requires_payment ? 1 : 0, allowed_redirect_hosts: JSON.stringify(hosts), created_at: now, updated_at: now,
  }).execute();
  const keys: AppKeys = {
    test_secret_key: await insertKey(deps, id, 'secret', false),
    live_secret_key: await insertKey(deps, id, 'secret', true),
    test_publishable_key: await insertKey(deps, id, 'publishable', false),
    live_publishable_key: await insertKey(deps, id, 'publishable', true),
  };
  return { app: await getApp(deps, id), keys };
}

/** Revokes the current key of a kind and mode and returns a new one (shown once). */
export async function rollKey(deps: EngineDeps, appId: string, kind: KeyKind, livemode: boolean): Promise<string> {
  await getApp(deps, appId);
  deps.caches.keys.clear();
  await deps.database.db.updateTable('api_keys').set({ revoked_at: deps.clock.now() })
    .where('app_id', '=', appId).where('kind', '=', kind).where('livemode', '=', livemode ? 1 : 0).where('revoked_at', 'is', null).execute();
  deps.caches.keys.clear();
  return insertKey(deps, appId, kind, livemode);
}

export async function authenticateKey(deps: EngineDeps, key: string): Promise<KeyIdentity | undefined> {
  if (!/^(sk|pk)_(test|live)_[A-Za-z0-9]{32}$/.test(key)) return undefined;
  const hash = hashKey(key);
  const identity = await deps.caches.keys.get(hash, async () => {
    const row = await deps.database.db.selectFrom('api_keys').select(['app_id', 'kind', 'livemode', 'revoked_at'])
      .where('key_hash', '=', hash).executeTakeFirst();
    return row && row.revoked_at === null ? { app_id: row.app_id, kind: row.kind, livemode: row.livemode === 1 } : null;
  });
  return identity ?? undefined;
}

export async function getApp(deps: EngineDeps, id: string): Promise<AppObject> {
  const row = await deps.database.db.selectFrom('apps').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) fail('resource_not_found', { param: 'id', message: `No such app: ${id}` });
  return toAppObject(deps, row);
}

export async function listApps(deps: EngineDeps): Promise<AppObject[]> {
  const rows = await deps.database.db.selectFrom('apps').selectAll().orderBy('created_at', 'desc').execute();
  return Promise.all(rows.map((row) => toAppObject(deps, row)));
}

export async function updateApp(deps: EngineDeps, id: string, input: Partial<AppCreateInput>): Promise<AppObject> {
  await getApp(deps, id);
  const set: Updateable<AppsTable> = { updated_at: deps.clock.now() };
  if (input.name !== undefined) {
    if (typeof input.name !== 'string' || !input.name.trim() || input.name.length > 100) fail('parameter_invalid', { param: 'name', message: 'name must be 1 to 100 characters.' });
    set.name = input.name.trim();
  }
  if (input.requires_payment !== undefined) set.requires_payment = input.requires_payment ? 1 : 0;
  if (input.allowed_redirect_hosts !== undefined) set.allowed_redirect_hosts = JSON.stringify(validateHosts(input.allowed_redirect_hosts));
  await deps.database.db.updateTable('apps').set(set).where('id', '=', id).execute();
  return getApp(deps, id);
}

function validateHosts(hosts: unknown): string[] {
  if (!Array.isArray(hosts) || hosts.some((h) => typeof h !== 'string' || !/^[a-z0-9.-]+(:\d+)?$/i.test(h))) {
    fail('parameter_invalid', { param: 'allowed_redirect_hosts', message: 'allowed_redirect_hosts must be a list of host names like "shop.example.com".' });
  }
  return hosts.map((h: string) => h.toLowerCase());
}

async function toAppObject(deps: EngineDeps, row: Selectable<AppsTable>): Promise<AppObject> {
  const enabled = await deps.database.db.selectFrom('channels').select(['livemode'])
    .where('app_id', '=', row.id).where('enabled', '=', 1).where('deleted_at', 'is', null).execute();
  const test = enabled.some((c) => c.livemode === 0);
  const live = enabled.some((c) => c.livemode === 1);
  const missing: string[] = [];
  if (row.requires_payment === 1 && !live) missing.push('No enabled live channel: this app needs payment but cannot take it yet. Add and enable a channel.');
  if (row.requires_payment === 1 && !test) missing.push('No enabled test channel.');
  return {
    id: row.id, object: 'app', name: row.name, requires_payment: row.requires_payment === 1,
    allowed_redirect_hosts: JSON.parse(row.allowed_redirect_hosts) as string[], created: Math.floor(row.created_at / 1000),
    payment_ready: { test, live }, missing,
  };
}
