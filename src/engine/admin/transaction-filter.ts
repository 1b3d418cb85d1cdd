/**
 * The console's transaction filters, parsed once from query text and shared by the list and the
 * CSV export, so both always select the same rows. Every filter is applied in SQL.
 */
import type { SelectQueryBuilder } from 'kysely';
import type { Schema } from '../../store/schema.js';
import { CHARGE_STATUSES, type ChargeStatus } from '../../core/charge-state.js';
import { fail } from '../../core/errors.js';

export interface TransactionFilter {
  /** Undefined: both modes. */
  readonly livemode?: boolean;
  readonly app_id?: string;
  /** The configured channel the charge is shown under (`chn_…`). */
  readonly channel_id?: string;
  /** The channel code (`alipay_qr`, `test` …). */
  readonly channel?: string;
  readonly status?: ChargeStatus;
  readonly type?: string;
  /** Creation time window, unix ms: `created_gte ≤ created < created_lt`. */
  readonly created_gte?: number;
  readonly created_lt?: number;
  /** A charge id, a refund id, an order_no or a channel transaction number, matched exactly. */
  readonly q?: string;
}

const text = (raw: unknown, param: string, max = 100): string | undefined => {
  if (raw === undefined || raw === null || raw === '') return undefined;
  if (typeof raw !== 'string' || raw.length > max) fail('parameter_invalid', { param, message: `${param} must be text of at most ${max} characters.` });
  return raw.trim() || undefined;
};

const time = (raw: unknown, param: string): number | undefined => {
  const value = text(raw, param, 20);
  if (value === undefined) return undefined;
  if (!/^\d{1,15}$/.test(value)) fail('parameter_invalid', { param, message: `${param} must be a unix time in milliseconds.` });
  return Number(value);
};

/** Reads filters from a query string object; unknown values are refused, not ignored. */
export function parseTransactionFilter(query: Readonly<Record<string, unknown>>): TransactionFilter {
  const mode = text(query.livemode, 'livemode', 5);
  if (mode !== undefined && !['true', 'false', 'all'].includes(mode)) fail('parameter_invalid', { param: 'livemode', message: 'livemode must be true, false or all.' });
  const status = text(query.status, 'status', 20);
  if (status !== undefined && !CHARGE_STATUSES.includes(status as ChargeStatus)) {
    fail('parameter_invalid', { param: 'status', message: `status must be one of ${CHARGE_STATUSES.join(', ')}.` });
  }
  const filter: TransactionFilter = {
    livemode: mode === undefined || mode === 'all' ? undefined : mode === 'true',
    app_id: text(query.app_id, 'app_id'),
    channel_id: text(query.channel_id, 'channel_id'),
    channel: text(query.channel, 'channel', 40),
    status: status as ChargeStatus | undefined,
    type: text(query.type, 'type', 40),
    created_gte: time(query.created_gte, 'created_gte'),
    created_lt: time(query.created_lt, 'created_lt'),
    q: text(query.q, 'q', 128),
  };
  if (filter.created_gte !== undefined && filter.created_lt !== undefined && filter.created_gte >= filter.created_lt) {
    fail('parameter_invalid', { param: 'created_lt', message: 'The end of the date range must be after its start.' });
  }
  return filter;
}

type ChargeQuery<O> = SelectQueryBuilder<Schema, 'charges', O>;

/**
 * Adds the filter's conditions. A refund id is turned into its charge id by the caller
 * (`resolveSearch`), so this stays one query on `charges`.
 */
export function applyTransactionFilter<O>(query: ChargeQuery<O>, filter: TransactionFilter, chargeIdsFromSearch?: readonly string[]): ChargeQuery<O> {
  let q = query;
  if (filter.livemode !== undefined) q = q.where('livemode', '=', filter.livemode ? 1 : 0);
  if (filter.app_id) q = q.where('app_id', '=', filter.app_id);
  if (filter.channel_id) q = q.where('channel_id', '=', filter.channel_id);
  if (filter.channel) q = q.where('channel', '=', filter.channel);
  if (filter.status) q = q.where('status', '=', filter.status);
  if (filter.type) q = q.where('type', '=', filter.type);
  if (filter.created_gte !== undefined) q = q.where('created_at', '>=', filter.created_gte);
  if (filter.created_lt !== undefined) q = q.where('created_at', '<', filter.created_lt);
  if (filter.q) {
    const term = filter.q;
    if (chargeIdsFromSearch && chargeIdsFromSearch.length > 0) q = q.where('id', 'in', [...chargeIdsFromSearch]);
    else if (term.startsWith('ch_')) q = q.where('id', '=', term);
    else q = q.where((eb) => eb.or([eb('order_no', '=', term), eb('transaction_no', '=', term)]));
  }
  return q;
}
