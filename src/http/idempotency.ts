/**
 * `Idempotency-Key` on every authenticated POST (Stripe semantics), kept in the
 * `idempotency_keys` table so it holds across processes on SQLite and PostgreSQL alike:
 * - the first request claims the key (`in_flight`) with an atomic insert, runs, and stores its
 *   status and body (`done`); a 5xx releases the key instead, because nothing was written and
 *   the client should be free to retry;
 * - a replay with the same parameters gets the stored status and body back
 *   (`Idempotent-Replayed: true`), without running again;
 * - the same key with other parameters is 422 `idempotency_key_reused`;
 * - a duplicate while the first is still running is 409 `idempotency_key_in_flight`.
 * Keys are per app and mode and expire after 24 hours. A claim left behind by a crashed process
 * is taken over after a few minutes.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { fail } from '../core/errors.js';
import type { Paygate } from '../engine/paygate.js';

const KEY_LIFETIME_MS = 24 * 3600 * 1000;
const STALE_CLAIM_MS = 5 * 60 * 1000;
const HEADER = 'idempotency-key';

interface Claim {
  readonly app_id: string;
  readonly livemode: 0 | 1;
  readonly key: string;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** `false` on a route whose answer must not be stored (it holds a secret). */
    idempotency?: boolean;
  }
  interface FastifyRequest {
    /** Set while this request holds an idempotency key. */
    idempotencyClaim?: Claim;
  }
}

/** JSON with object keys sorted, so `{a,b}` and `{b,a}` hash alike. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The fingerprint of a request's parameters: method, path and the parsed body. */
export function requestHash(request: FastifyRequest): string {
  const path = request.url.split('?')[0];
  return createHash('sha256').update(`${request.method} ${path}\n${canonical(request.body ?? {})}`).digest('hex');
}

async function claim(paygate: Paygate, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
  const header = request.headers[HEADER];
  const caller = request.caller;
  if (request.method !== 'POST' || header === undefined || !caller || request.routeOptions.config.idempotency === false) return undefined;
  const key = Array.isArray(header) ? header[0] ?? '' : header;
  if (!/^[\x21-\x7e]{1,255}$/.test(key)) fail('parameter_invalid', { param: 'Idempotency-Key', message: 'Idempotency-Key must be 1 to 255 visible ASCII characters (a UUID is a good choice).' });

  const db = paygate.deps.database.db;
  const id: Claim = { app_id: caller.app_id, livemode: caller.livemode ? 1 : 0, key };
  const hash = requestHash(request);
  const now = paygate.deps.clock.now();
  // Writes go through database.transaction so SQLite folds them into its group commit.
  const inserted = await paygate.deps.database.transaction((trx) => trx.insertInto('idempotency_keys')
    .values({ ...id, request_hash: hash, status: 'in_flight', response_status: null, response_body: null, created_at: now })
    .onConflict((oc) => oc.doNothing()).executeTakeFirst());
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1) {
    request.idempotencyClaim = id;
    return undefined;
  }

  const existing = await db.selectFrom('idempotency_keys').selectAll()
    .where('app_id', '=', id.app_id).where('livemode', '=', id.livemode).where('key', '=', key).executeTakeFirst();
  if (!existing) return claim(paygate, request, reply); // released between our insert and read
  const expired = now - existing.created_at > KEY_LIFETIME_MS;
  const abandoned = existing.status === 'in_flight' && now - existing.created_at > STALE_CLAIM_MS && existing.request_hash === hash;
  if (expired || abandoned) {
    // Compare-and-set on the row we read, so only one of several racing requests takes it over.
    const taken = await db.updateTable('idempotency_keys')
      .set({ request_hash: hash, status: 'in_flight', response_status: null, response_body: null, created_at: now })
      .where('app_id', '=', id.app_id).where('livemode', '=', id.livemode).where('key', '=', key)
      .where('created_at', '=', existing.created_at).where('status', '=', existing.status).executeTakeFirst();
    if (Number(taken.numUpdatedRows) === 1) {
      request.idempotencyClaim = id;
      return undefined;
    }
    fail('idempotency_key_in_flight');
  }
  if (existing.request_hash !== hash) {
    fail('idempotency_key_reused', { param: 'Idempotency-Key', message: `Idempotency-Key "${key}" was already used with other parameters or on another route; use a new key for a new request.` });
  }
  if (existing.status === 'in_flight') {
    fail('idempotency_key_in_flight', { param: 'Idempotency-Key', message: `A request with Idempotency-Key "${key}" is still being processed; retry in a moment.` });
  }
  return reply.code(existing.response_status ?? 200)
    .header('content-type', 'application/json; charset=utf-8')
    .header('idempotent-replayed', 'true')
    .send(existing.response_body ?? '');
}

async function settle(paygate: Paygate, request: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> {
  const id = request.idempotencyClaim;
  if (!id) return payload;
  request.idempotencyClaim = undefined;
  try {
    const body = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : String(payload ?? '');
    await paygate.deps.database.transaction(async (trx) => {
      if (reply.statusCode >= 500) {
        await trx.deleteFrom('idempotency_keys').where('app_id', '=', id.app_id).where('livemode', '=', id.livemode).where('key', '=', id.key).execute();
      } else {
        await trx.updateTable('idempotency_keys').set({ status: 'done', response_status: reply.statusCode, response_body: body })
          .where('app_id', '=', id.app_id).where('livemode', '=', id.livemode).where('key', '=', id.key).execute();
      }
    });
  } catch (error) {
    // The answer itself is right; a key left in flight is taken over once stale.
    request.log.error({ err: error }, 'could not store the idempotent response');
  }
  return payload;
}

/** Installs the claim (after authentication and validation) and the store (on send). */
export function installIdempotency(app: FastifyInstance, paygate: Paygate): void {
  app.addHook('preHandler', async (request, reply) => {
    const replayed = await claim(paygate, request, reply);
    if (replayed) return replayed;
  });
  app.addHook('onSend', async (request, reply, payload) => settle(paygate, request, reply, payload));
}
