/**
 * What the buyer-facing result page (`/pay/result/:charge_id`, seed 002 GetResultUrl) shows: the
 * charge's state, the transaction type's own fragment (`resultHtml`), and where to send the buyer
 * next — the charge's `return_url`, unless the app restricts redirects to hosts it listed.
 */
import { fail } from '../core/errors.js';
import type { ChargeObject } from './api-types.js';
import type { EngineDeps } from './deps.js';
import { toChargeObject } from './charge-object.js';
import { appendLog } from './charge-log.js';

export interface ResultView {
  readonly charge: ChargeObject;
  readonly appName: string;
  /** HTML from the transaction type's handler (it escapes its own content), or null. */
  readonly fragment: string | null;
  /** Where to send the buyer after a few seconds, or null. */
  readonly redirect: string | null;
}

function allowedRedirect(returnUrl: string | null, allowedHosts: readonly string[]): string | null {
  if (!returnUrl) return null;
  let url: URL;
  try {
    url = new URL(returnUrl);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (allowedHosts.length > 0 && !allowedHosts.includes(url.host.toLowerCase())) return null;
  return url.toString();
}

export async function resultView(deps: EngineDeps, chargeId: string): Promise<ResultView> {
  const row = await deps.database.db.selectFrom('charges').selectAll().where('id', '=', chargeId).executeTakeFirst();
  if (!row) fail('resource_not_found', { param: 'id', message: `No such charge: ${chargeId}` });
  const app = await deps.database.db.selectFrom('apps').select(['name', 'allowed_redirect_hosts']).where('id', '=', row.app_id).executeTakeFirstOrThrow();
  const charge = toChargeObject(row);
  let fragment: string | null = null;
  const handler = deps.transactionTypes.has(charge.type) ? deps.transactionTypes.get(charge.type) : undefined;
  if (handler?.resultHtml) {
    try {
      fragment = await handler.resultHtml(charge);
    } catch (error) {
      // A broken fragment must not hide the payment's outcome from the buyer.
      await appendLog(deps.database, deps.clock.now(), [{ charge_id: row.id, app_id: row.app_id, channel_id: row.channel_id, kind: 'error', message: `resultHtml of transaction type ${charge.type} failed: ${error instanceof Error ? error.message : String(error)}` }]);
    }
  }
  return { charge, appName: app.name, fragment, redirect: allowedRedirect(row.return_url, JSON.parse(app.allowed_redirect_hosts) as string[]) };
}
