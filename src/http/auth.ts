/**
 * Who is calling. An app's key arrives as `Authorization: Bearer sk_…` or as the HTTP Basic user
 * name (what the `pingpp` SDK sends); a charge's `client_secret` may arrive the same way or as
 * the `client_secret` query parameter (browsers, EventSource). The caller's scope is the key's
 * app and mode: test keys see only test objects, and another app's objects are simply not found.
 *
 * Secret keys may do everything an app may. Publishable keys and client secrets may only read
 * one charge (and fetch its pay URL); route files guard themselves with `requireSecretKey` or
 * `requireChargeReader`, then ask `secretScope` / `chargeScope` for the scope.
 */
import type { FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import { fail } from '../core/errors.js';
import type { Scope } from '../engine/api-types.js';
import type { Paygate } from '../engine/paygate.js';
import { authenticateClientSecret, looksLikeClientSecret } from '../engine/charge-access.js';

/** What authenticated the request. */
export interface Caller {
  readonly kind: 'secret' | 'publishable' | 'client_secret';
  readonly app_id: string;
  readonly livemode: boolean;
  /** For a client secret: the one charge it opens. */
  readonly charge_id?: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by `requireSecretKey` / `requireChargeReader`. */
    caller?: Caller;
  }
}

/** The key or client secret the request presents, if any. */
export function presentedCredential(request: FastifyRequest, allowQuery = false): string | undefined {
  const header = request.headers.authorization;
  if (header) {
    const [scheme, value = ''] = header.trim().split(/\s+/, 2);
    if (/^bearer$/i.test(scheme ?? '')) return value || undefined;
    if (/^basic$/i.test(scheme ?? '')) {
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      const user = colon === -1 ? decoded : decoded.slice(0, colon);
      // Some clients put the key in the password with an empty user; accept both.
      return user || (colon === -1 ? undefined : decoded.slice(colon + 1)) || undefined;
    }
    return undefined;
  }
  if (allowQuery) {
    const query = request.query as Record<string, unknown> | undefined;
    const secret = query?.client_secret;
    if (typeof secret === 'string' && secret) return secret;
  }
  return undefined;
}

/** Authenticates the request's credential; 401 when it is missing or not valid. */
export async function identifyCaller(paygate: Paygate, request: FastifyRequest, allowQuery = false): Promise<Caller> {
  const credential = presentedCredential(request, allowQuery);
  if (!credential) fail('authentication_required');
  if (looksLikeClientSecret(credential)) {
    const grant = await authenticateClientSecret(paygate.deps, credential);
    if (!grant) fail('api_key_invalid', { message: 'The client secret is not valid.' });
    return { kind: 'client_secret', app_id: grant.app_id, livemode: grant.livemode, charge_id: grant.charge_id };
  }
  const identity = await paygate.authenticate(credential);
  if (!identity) fail('api_key_invalid', { message: `The API key ${maskKey(credential)} is not valid (unknown, revoked or mistyped).` });
  // A URL is written to access logs, proxies and browser history: a secret key must never be
  // in one. Only what a browser may hold (a publishable key, a client secret) travels there.
  const fromQuery = allowQuery && !request.headers.authorization;
  if (fromQuery && identity.kind === 'secret') {
    fail('key_not_allowed', { message: 'A secret key may not be sent in the URL, where logs keep it: send it in the Authorization header (Bearer sk_…), and roll the key if this URL was shared.' });
  }
  return { kind: identity.kind, app_id: identity.app_id, livemode: identity.livemode };
}

function maskKey(key: string): string {
  return key.length > 12 ? `${key.slice(0, 8)}…${key.slice(-4)}` : '…';
}

/** onRequest hook: only an app's secret key passes. */
export function requireSecretKey(paygate: Paygate): onRequestAsyncHookHandler {
  return async (request: FastifyRequest, _reply: FastifyReply) => {
    const caller = await identifyCaller(paygate, request);
    if (caller.kind !== 'secret') fail('key_not_allowed', { message: 'This request needs the app\'s secret key (sk_…); publishable keys and client secrets may only read one charge.' });
    request.caller = caller;
  };
}

/** onRequest hook: a secret key, a publishable key or a charge's client secret passes. */
export function requireChargeReader(paygate: Paygate): onRequestAsyncHookHandler {
  return async (request: FastifyRequest, _reply: FastifyReply) => {
    request.caller = await identifyCaller(paygate, request, true);
  };
}

/** The scope of a secret-key caller. */
export function secretScope(request: FastifyRequest): Scope {
  const caller = request.caller;
  if (!caller) fail('authentication_required');
  if (caller.kind !== 'secret') fail('key_not_allowed');
  return { app_id: caller.app_id, livemode: caller.livemode };
}

/** The scope in which the caller may read charge `chargeId`; another charge is not found. */
export function chargeScope(request: FastifyRequest, chargeId: string): Scope {
  const caller = request.caller;
  if (!caller) fail('authentication_required');
  if (caller.kind === 'client_secret' && caller.charge_id !== chargeId) fail('resource_not_found', { param: 'id', message: `No such charge: ${chargeId}` });
  return { app_id: caller.app_id, livemode: caller.livemode };
}

/**
 * Checks an `app[id]` / `papp` parameter against the caller's app. Naming another app is
 * answered as "not found", like any other app's object.
 */
export function assertOwnApp(scope: Scope, appId: unknown, param: string): void {
  if (appId === undefined || appId === null || appId === '') return;
  if (appId !== scope.app_id) fail('resource_not_found', { param, message: `No such app: ${String(appId)} (the key belongs to another app).` });
}
