/**
 * An app's webhook endpoints (PRODUCT.md §3, §4): create (the secret is shown once), read, update,
 * delete, roll the secret with an overlap. Endpoints belong to the app and mode, not to a
 * channel, so a channel enabled later is covered without registering again (seed 001's
 * two-places problem).
 */
import type { Selectable } from 'kysely';
import type { WebhookEndpointsTable } from '../store/schema.js';
import type { EngineDeps } from '../engine/deps.js';
import type { ListObject, Scope } from '../engine/api-types.js';
import { fail } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { newWebhookSecret, secretHint } from './signature.js';
import { readEndpointUpdate, readNewEndpoint, type EndpointFields, type EndpointInput } from './endpoint-input.js';

export type EndpointRow = Selectable<WebhookEndpointsTable>;

/** An endpoint as the API shows it. `secret` only in the answers that create or roll it. */
export interface WebhookEndpointObject extends EndpointFields {
  id: string;
  object: 'webhook_endpoint';
  app: string;
  livemode: boolean;
  /** `whsec_…abcd`: which secret is current, without revealing it. */
  secret_hint: string;
  /** While a rolled secret is still honoured: when it stops being sent (unix seconds). */
  previous_secret_expires: number | null;
  created: number;
  updated: number;
  secret?: string;
}

/** An app may have this many endpoints per mode (Stripe's limit too). */
export const MAX_ENDPOINTS_PER_APP = 16;
/** Default overlap after a roll: both secrets are sent for a day. */
export const DEFAULT_ROLL_OVERLAP_SECONDS = 24 * 3600;

export interface EndpointOptions {
  readonly env?: Readonly<Record<string, string | undefined>>;
}

function fieldsOf(row: EndpointRow): EndpointFields {
  return {
    url: row.url, events: JSON.parse(row.events) as string[], channel: row.channel, format: row.format,
    require_success_body: row.require_success_body === 1, enabled: row.enabled === 1, description: row.description,
  };
}

export function toEndpointObject(deps: EngineDeps, row: EndpointRow): WebhookEndpointObject {
  const overlap = row.previous_secret && row.previous_secret_expires_at !== null && row.previous_secret_expires_at > deps.clock.now();
  return {
    id: row.id, object: 'webhook_endpoint', app: row.app_id, livemode: row.livemode === 1, ...fieldsOf(row),
    secret_hint: secretHint(deps.secrets.open(row.secret)),
    previous_secret_expires: overlap ? Math.floor(row.previous_secret_expires_at! / 1000) : null,
    created: Math.floor(row.created_at / 1000), updated: Math.floor(row.updated_at / 1000),
  };
}

/** The secrets a send signs with right now: the current one, and the previous one during its overlap. */
export function signingSecrets(deps: { readonly secrets: { open(sealed: string): string } }, row: Pick<EndpointRow, 'secret' | 'previous_secret' | 'previous_secret_expires_at'>, now: number): string[] {
  const secrets = [deps.secrets.open(row.secret)];
  if (row.previous_secret && row.previous_secret_expires_at !== null && row.previous_secret_expires_at > now) secrets.push(deps.secrets.open(row.previous_secret));
  return secrets;
}

export async function findEndpointRow(deps: EngineDeps, scope: Scope, id: string): Promise<EndpointRow> {
  const row = await deps.database.db.selectFrom('webhook_endpoints').selectAll()
    .where('id', '=', id).where('app_id', '=', scope.app_id).where('livemode', '=', scope.livemode ? 1 : 0).where('deleted_at', 'is', null)
    .executeTakeFirst();
  if (!row) fail('resource_not_found', { param: 'id', message: `No such webhook endpoint: ${id}` });
  return row;
}

async function checkChannelFilter(deps: EngineDeps, scope: Scope, channel: string | null): Promise<void> {
  if (channel === null) return;
  if (channel.startsWith('chn_')) {
    const row = await deps.database.db.selectFrom('channels').select('id').where('id', '=', channel).where('app_id', '=', scope.app_id).where('deleted_at', 'is', null).executeTakeFirst();
    if (!row) fail('parameter_invalid', { param: 'channel', message: `No channel ${channel} in this app; use one of its channel ids, or a channel type.` });
    return;
  }
  const types = deps.channels.types().map((t) => t.type);
  if (!types.includes(channel)) fail('parameter_invalid', { param: 'channel', message: `channel must be a channel id (chn_…) or one of the channel types ${types.join(', ')}.` });
}

export async function createEndpoint(deps: EngineDeps, scope: Scope, input: EndpointInput, options: EndpointOptions = {}): Promise<WebhookEndpointObject> {
  const fields = readNewEndpoint(input ?? {}, scope.livemode, options.env ?? process.env);
  await checkChannelFilter(deps, scope, fields.channel);
  const db = deps.database.db;
  const count = await db.selectFrom('webhook_endpoints').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('app_id', '=', scope.app_id).where('livemode', '=', scope.livemode ? 1 : 0).where('deleted_at', 'is', null).executeTakeFirstOrThrow();
  if (Number(count.n) >= MAX_ENDPOINTS_PER_APP) fail('parameter_invalid', { param: 'url', message: `An app has at most ${MAX_ENDPOINTS_PER_APP} webhook endpoints per mode; delete one first.` });
  const secret = newWebhookSecret();
  const now = deps.clock.now();
  const row: EndpointRow = {
    id: newId('webhookEndpoint'), app_id: scope.app_id, livemode: scope.livemode ? 1 : 0, url: fields.url, description: fields.description,
    events: JSON.stringify(fields.events), channel: fields.channel, format: fields.format,
    require_success_body: fields.require_success_body ? 1 : 0, enabled: fields.enabled ? 1 : 0,
    secret: deps.secrets.seal(secret), previous_secret: null, previous_secret_expires_at: null,
    created_at: now, updated_at: now, deleted_at: null,
  };
  await db.insertInto('webhook_endpoints').values(row).execute();
  return { ...toEndpointObject(deps, row), secret };
}

export async function retrieveEndpoint(deps: EngineDeps, scope: Scope, id: string): Promise<WebhookEndpointObject> {
  return toEndpointObject(deps, await findEndpointRow(deps, scope, id));
}

export async function listEndpoints(deps: EngineDeps, scope: Scope): Promise<ListObject<WebhookEndpointObject>> {
  const rows = await deps.database.db.selectFrom('webhook_endpoints').selectAll()
    .where('app_id', '=', scope.app_id).where('livemode', '=', scope.livemode ? 1 : 0).where('deleted_at', 'is', null)
    .orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
  return { object: 'list', url: '/v1/webhook_endpoints', has_more: false, data: rows.map((row) => toEndpointObject(deps, row)) };
}

export async function updateEndpoint(deps: EngineDeps, scope: Scope, id: string, input: EndpointInput, options: EndpointOptions = {}): Promise<WebhookEndpointObject> {
  const row = await findEndpointRow(deps, scope, id);
  const fields = readEndpointUpdate(input ?? {}, fieldsOf(row), scope.livemode, options.env ?? process.env);
  await checkChannelFilter(deps, scope, fields.channel);
  const set = {
    url: fields.url, description: fields.description, events: JSON.stringify(fields.events), channel: fields.channel, format: fields.format,
    require_success_body: fields.require_success_body ? 1 as const : 0 as const, enabled: fields.enabled ? 1 as const : 0 as const, updated_at: deps.clock.now(),
  };
  await deps.database.db.updateTable('webhook_endpoints').set(set).where('id', '=', id).execute();
  return toEndpointObject(deps, { ...row, ...set });
}

/** Deletes an endpoint; its pending deliveries are marked failed (nobody is left to receive them). */
export async function deleteEndpoint(deps: EngineDeps, scope: Scope, id: string): Promise<{ id: string; object: 'webhook_endpoint'; deleted: true }> {
  await findEndpointRow(deps, scope, id);
  const now = deps.clock.now();
  await deps.database.transaction(async (trx) => {
    await trx.updateTable('webhook_endpoints').set({ deleted_at: now, enabled: 0, updated_at: now }).where('id', '=', id).execute();
    await trx.updateTable('webhook_deliveries').set({ status: 'failed', next_attempt_at: null, last_error: 'the endpoint was deleted', completed_at: now, updated_at: now })
      .where('endpoint_id', '=', id).where('status', '=', 'pending').where('lease_token', 'is', null).execute();
  });
  return { id, object: 'webhook_endpoint', deleted: true };
}

/**
 * Rolls the secret: the new one is returned once; the old one keeps being sent beside it for
 * `expires_in` seconds (default a day, 0 to drop it at once) so receivers can switch without a gap.
 */
export async function rollEndpointSecret(deps: EngineDeps, scope: Scope, id: string, input: { expires_in?: unknown } = {}): Promise<WebhookEndpointObject> {
  const row = await findEndpointRow(deps, scope, id);
  const raw = input.expires_in ?? DEFAULT_ROLL_OVERLAP_SECONDS;
  const expiresIn = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : raw;
  if (typeof expiresIn !== 'number' || !Number.isInteger(expiresIn) || expiresIn < 0 || expiresIn > 7 * 86400) {
    fail('parameter_invalid', { param: 'expires_in', message: 'expires_in is how long the old secret keeps being sent, in seconds: an integer from 0 to 604800 (7 days).' });
  }
  const secret = newWebhookSecret();
  const now = deps.clock.now();
  const set = {
    secret: deps.secrets.seal(secret),
    previous_secret: expiresIn > 0 ? row.secret : null,
    previous_secret_expires_at: expiresIn > 0 ? now + expiresIn * 1000 : null,
    updated_at: now,
  };
  await deps.database.db.updateTable('webhook_endpoints').set(set).where('id', '=', id).execute();
  return { ...toEndpointObject(deps, { ...row, ...set }), secret };
}
