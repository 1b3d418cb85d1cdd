/**
 * CSV export of the filtered transaction list, streamed in keyset batches so an export of a
 * million rows never holds them all in memory. Amounts are in yuan (major units) with their
 * currency's digits; times are in the operator's zone. Cells that a spreadsheet would run as a
 * formula are prefixed with a quote (CSV injection).
 */
import { toMajorString } from '../../core/money.js';
import type { EngineDeps } from '../deps.js';
import type { TransactionFilter } from './transaction-filter.js';
import { searchTransactions, type TransactionSummary } from './transaction-search.js';

const COLUMNS: ReadonlyArray<[string, (t: TransactionSummary, zone: ZoneFormat) => string]> = [
  ['id', (t) => t.id],
  ['order_no', (t) => t.order_no],
  ['app', (t) => t.app_name],
  ['app_id', (t) => t.app_id],
  ['channel', (t) => t.channel_name],
  ['channel_id', (t) => t.channel_id],
  ['channel_code', (t) => t.channel],
  ['type', (t) => t.type],
  ['status', (t) => t.status],
  ['livemode', (t) => String(t.livemode)],
  ['currency', (t) => t.currency.toUpperCase()],
  ['amount', (t) => toMajorString(t.amount, t.currency)],
  ['amount_refunded', (t) => toMajorString(t.amount_refunded, t.currency)],
  ['fee', (t) => toMajorString(t.fee, t.currency)],
  ['subject', (t) => t.subject],
  ['transaction_no', (t) => t.transaction_no ?? ''],
  ['failure', (t) => (t.failure_code ? `${t.failure_code}: ${t.failure_msg ?? ''}` : '')],
  ['created', (t, zone) => zone.format(t.created)],
  ['time_paid', (t, zone) => (t.time_paid === null ? '' : zone.format(t.time_paid))],
];

export interface ZoneFormat {
  readonly label: string;
  format(unixSeconds: number): string;
}

/** `offsetMinutes` as JavaScript's `getTimezoneOffset()` gives it (UTC − local; −480 for China). */
export function zoneFormat(offsetMinutes: number): ZoneFormat {
  const east = -offsetMinutes;
  const sign = east >= 0 ? '+' : '-';
  const abs = Math.abs(east);
  const label = `UTC${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  return {
    label,
    format(unixSeconds) {
      const iso = new Date(unixSeconds * 1000 + east * 60_000).toISOString();
      return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
    },
  };
}

export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The export, line by line (first a UTF-8 BOM so spreadsheet programs read Chinese text). */
export async function* transactionsCsv(deps: EngineDeps, filter: TransactionFilter, offsetMinutes: number, maxRows = 1_000_000): AsyncGenerator<string> {
  const zone = zoneFormat(offsetMinutes);
  yield '\uFEFF' + COLUMNS.map(([name]) => (name === 'created' || name === 'time_paid' ? `${name} (${zone.label})` : name)).join(',') + '\r\n';
  let cursor: string | undefined;
  let written = 0;
  while (written < maxRows) {
    const page = await searchTransactions(deps, filter, { limit: 100, starting_after: cursor });
    if (page.data.length === 0) return;
    yield page.data.map((t) => COLUMNS.map(([, get]) => csvCell(get(t, zone))).join(',')).join('\r\n') + '\r\n';
    written += page.data.length;
    if (!page.next_cursor) return;
    cursor = page.next_cursor;
  }
}
