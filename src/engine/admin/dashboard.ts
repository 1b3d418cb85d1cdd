/**
 * The dashboard's figures for one mode: volume, counts and success rate for today, 7 and 30
 * days, a daily series, splits by channel and transaction type, recent failures, apps that need
 * payment but cannot take it, and webhook delivery health. The charge figures come from grouped
 * range scans of the last 30 days (covered by the `charges_console_stats` index), folded here.
 * Days are the operator's days: `offsetMinutes` as the browser's `getTimezoneOffset()`.
 */
import { PAID_STATUSES, type ChargeStatus } from '../../core/charge-state.js';
import type { EngineDeps } from '../deps.js';
import { listApps } from '../apps.js';
import { loadNames } from './transaction-search.js';
import { webhookHealth, type WebhookHealth } from './webhook-views.js';

const DAY_MS = 86_400_000;

export interface PeriodFigures {
  /** Charges created in the period. */
  count: number;
  /** Of them, paid (secured_paid, shipped or succeeded). */
  paid_count: number;
  /** Of them, closed unpaid (expired, failed, reversed). */
  closed_count: number;
  /** Paid amount per currency, minor units. */
  volume: Record<string, number>;
  /** Refunded amount per currency, minor units. */
  refunded: Record<string, number>;
  /** paid / (paid + closed): still-pending charges do not count yet. Null when nothing finished. */
  success_rate: number | null;
}

export interface DayPoint { day: string; count: number; paid_count: number; volume: Record<string, number> }
export interface SplitLine { key: string; name: string; count: number; paid_count: number; volume: Record<string, number> }

export interface Dashboard {
  livemode: boolean;
  generated: number;
  periods: { today: PeriodFigures; d7: PeriodFigures; d30: PeriodFigures };
  series: DayPoint[];
  by_channel: SplitLine[];
  by_type: SplitLine[];
  recent_failures: Array<{ kind: 'charge' | 'refund'; id: string; charge_id: string; app_name: string; amount: number; currency: string; code: string | null; message: string | null; created: number }>;
  /** Apps with requires_payment and no enabled channel in this mode (seed 001 hasPayment). */
  reminders: Array<{ app_id: string; app_name: string }>;
  webhooks: WebhookHealth;
}

interface Bucket { day: number; status: string; channel_id: string; type: string; currency: string; n: number; amount: number; refunded: number }

const empty = (): PeriodFigures => ({ count: 0, paid_count: 0, closed_count: 0, volume: {}, refunded: {}, success_rate: null });
const add = (map: Record<string, number>, key: string, value: number) => { map[key] = (map[key] ?? 0) + value; };

function fold(into: PeriodFigures, b: Bucket): void {
  const paid = PAID_STATUSES.has(b.status as ChargeStatus);
  into.count += b.n;
  if (paid) { into.paid_count += b.n; add(into.volume, b.currency, b.amount); }
  if (b.status === 'closed') into.closed_count += b.n;
  if (b.refunded > 0) add(into.refunded, b.currency, b.refunded);
}

const rate = (p: PeriodFigures) => ({ ...p, success_rate: p.paid_count + p.closed_count > 0 ? p.paid_count / (p.paid_count + p.closed_count) : null });

export async function dashboard(deps: EngineDeps, options: { livemode: boolean; offsetMinutes: number; app_id?: string }): Promise<Dashboard> {
  const db = deps.database.db;
  const now = deps.clock.now();
  const east = -Math.round(options.offsetMinutes) * 60_000;
  const today = Math.floor((now + east) / DAY_MS);
  const mode = options.livemode ? 1 : 0;
  // One small query per day rather than one GROUP BY over the month: each is a short range scan of
  // the covering index plus a sort of one day's rows, where the single query sorted the whole month.
  const days = Array.from({ length: 30 }, (_, i) => today - 29 + i);
  const buckets: Bucket[] = [];
  for (const day of days) {
    let query = db.selectFrom('charges')
      .select([
        'status', 'channel_id', 'type', 'currency',
        (eb) => eb.fn.countAll<number>().as('n'),
        (eb) => eb.fn.sum<number>('amount').as('amount'),
        (eb) => eb.fn.sum<number>('amount_refunded').as('refunded'),
      ])
      .where('created_at', '>=', day * DAY_MS - east).where('created_at', '<', (day + 1) * DAY_MS - east).where('livemode', '=', mode);
    if (options.app_id) query = query.where('app_id', '=', options.app_id);
    const rows = await query.groupBy(['status', 'channel_id', 'type', 'currency']).execute();
    for (const r of rows) buckets.push({ ...r, day, n: Number(r.n), amount: Number(r.amount), refunded: Number(r.refunded) });
  }

  const periods = { today: empty(), d7: empty(), d30: empty() };
  const series = new Map<number, DayPoint>();
  for (let d = today - 29; d <= today; d++) series.set(d, { day: new Date(d * DAY_MS).toISOString().slice(0, 10), count: 0, paid_count: 0, volume: {} });
  const channels = new Map<string, SplitLine>();
  const types = new Map<string, SplitLine>();
  const names = await loadNames(db);
  for (const b of buckets) {
    fold(periods.d30, b);
    if (b.day > today - 7) fold(periods.d7, b);
    if (b.day === today) fold(periods.today, b);
    const point = series.get(b.day);
    if (point) {
      point.count += b.n;
      if (PAID_STATUSES.has(b.status as ChargeStatus)) { point.paid_count += b.n; add(point.volume, b.currency, b.amount); }
    }
    const channel = names.channels.get(b.channel_id);
    split(channels, b.channel_id, channel ? channel.name : b.channel_id, b);
    split(types, b.type, b.type, b);
  }

  const [failures, apps, webhooks] = await Promise.all([
    recentFailures(deps, mode, options.app_id, names.apps),
    listApps(deps),
    webhookHealth(deps, { livemode: options.livemode, app_id: options.app_id }, now - DAY_MS),
  ]);
  return {
    livemode: options.livemode,
    generated: Math.floor(now / 1000),
    periods: { today: rate(periods.today), d7: rate(periods.d7), d30: rate(periods.d30) },
    series: [...series.values()],
    by_channel: [...channels.values()].sort((a, b) => b.count - a.count),
    by_type: [...types.values()].sort((a, b) => b.count - a.count),
    recent_failures: failures,
    reminders: apps.filter((a) => a.requires_payment && !(options.livemode ? a.payment_ready.live : a.payment_ready.test)).map((a) => ({ app_id: a.id, app_name: a.name })),
    webhooks,
  };
}

function split(map: Map<string, SplitLine>, key: string, name: string, b: Bucket): void {
  const line = map.get(key) ?? { key, name, count: 0, paid_count: 0, volume: {} };
  line.count += b.n;
  if (PAID_STATUSES.has(b.status as ChargeStatus)) { line.paid_count += b.n; add(line.volume, b.currency, b.amount); }
  map.set(key, line);
}

async function recentFailures(deps: EngineDeps, mode: 0 | 1, appId: string | undefined, appNames: Map<string, string>): Promise<Dashboard['recent_failures']> {
  const db = deps.database.db;
  let charges = db.selectFrom('charges').select(['id', 'app_id', 'amount', 'currency', 'failure_code', 'failure_msg', 'created_at'])
    .where('livemode', '=', mode).where('status', '=', 'closed').where('failure_code', 'is not', null);
  let refunds = db.selectFrom('refunds').select(['id', 'charge_id', 'app_id', 'amount', 'currency', 'failure_code', 'failure_msg', 'created_at'])
    .where('livemode', '=', mode).where('status', '=', 'failed');
  if (appId) { charges = charges.where('app_id', '=', appId); refunds = refunds.where('app_id', '=', appId); }
  const [c, r] = await Promise.all([
    charges.orderBy('created_at', 'desc').limit(8).execute(),
    refunds.orderBy('created_at', 'desc').limit(8).execute(),
  ]);
  return [
    ...c.map((x) => ({ kind: 'charge' as const, id: x.id, charge_id: x.id, app_name: appNames.get(x.app_id) ?? x.app_id, amount: x.amount, currency: x.currency, code: x.failure_code, message: x.failure_msg, created: Math.floor(x.created_at / 1000) })),
    ...r.map((x) => ({ kind: 'refund' as const, id: x.id, charge_id: x.charge_id, app_name: appNames.get(x.app_id) ?? x.app_id, amount: x.amount, currency: x.currency, code: x.failure_code, message: x.failure_msg, created: Math.floor(x.created_at / 1000) })),
  ].sort((a, b) => b.created - a.created).slice(0, 8);
}
