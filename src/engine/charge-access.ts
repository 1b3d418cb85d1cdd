/**
 * Who may read one charge without the app's secret key: the browser that created it holds the
 * charge's `client_secret` (`ch_…_secret_…`, returned once at creation), which grants reading
 * that charge and fetching its pay URL, nothing else.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { EngineDeps } from './deps.js';

/** What a valid client secret grants: one charge, in its app and mode. */
export interface ClientSecretGrant {
  readonly charge_id: string;
  readonly app_id: string;
  readonly livemode: boolean;
}

const CLIENT_SECRET = /^(ch_[A-Za-z0-9]+)_secret_[A-Za-z0-9]+$/;

/** True when `value` is shaped like a client secret (so callers can tell it from an API key). */
export function looksLikeClientSecret(value: string): boolean {
  return CLIENT_SECRET.test(value);
}

/** Checks a client secret against its charge (constant-time); undefined when it is not valid. */
export async function authenticateClientSecret(deps: EngineDeps, secret: string): Promise<ClientSecretGrant | undefined> {
  const match = CLIENT_SECRET.exec(secret);
  if (!match) return undefined;
  const row = await deps.database.db.selectFrom('charges').select(['id', 'app_id', 'livemode', 'client_secret'])
    .where('id', '=', match[1]!).executeTakeFirst();
  if (!row) return undefined;
  const digest = (text: string) => createHash('sha256').update(text).digest();
  if (!timingSafeEqual(digest(row.client_secret), digest(secret))) return undefined;
  return { charge_id: row.id, app_id: row.app_id, livemode: row.livemode === 1 };
}
