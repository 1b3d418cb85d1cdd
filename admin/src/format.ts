/**
 * Display formats: amounts in yuan (major units) with the currency's digits, computed with the
 * engine's own integer conversion (never floating point); times in the operator's zone.
 */
import { toMajorString, parseMajorString } from '../../src/core/money.js';
import { prefs } from './prefs';

const SYMBOLS: Record<string, string> = { cny: '¥', usd: '$', hkd: 'HK$', eur: '€', gbp: '£', jpy: '¥' };

/** 123456 fen → "¥1,234.56". */
export function money(minor: number | null | undefined, currency = 'cny'): string {
  if (minor === null || minor === undefined) return '—';
  const text = toMajorString(minor, currency);
  const negative = text.startsWith('-');
  const [whole, fraction] = (negative ? text.slice(1) : text).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}${SYMBOLS[currency.toLowerCase()] ?? `${currency.toUpperCase()} `}${grouped}${fraction !== undefined ? `.${fraction}` : ''}`;
}

/** Sum of a per-currency map, shown as one line ("¥12.00 · $3.00"), or ¥0.00 when empty. */
export function moneyMap(map: Record<string, number>): string {
  const entries = Object.entries(map).filter(([, v]) => v !== 0);
  if (entries.length === 0) return money(0, 'cny');
  return entries.sort(([a], [b]) => (a === 'cny' ? -1 : b === 'cny' ? 1 : a.localeCompare(b))).map(([c, v]) => money(v, c)).join(' · ');
}

/** "12.34" → 1234 fen, or undefined when it is not a valid amount for the currency. */
export function parseYuan(text: string, currency = 'cny'): number | undefined {
  return parseMajorString(text.trim(), currency);
}

export function yuanString(minor: number, currency = 'cny'): string {
  return toMajorString(minor, currency);
}

const locale = () => (prefs.lang === 'zh' ? 'zh-CN' : 'en-GB');

/** Unix seconds (or ms when `ms`) in the operator's zone: "2026-01-05 14:03:09". */
export function time(value: number | null | undefined, ms = false): string {
  if (value === null || value === undefined) return '—';
  const date = new Date(ms ? value : value * 1000);
  const parts = new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false }).formatToParts(date);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour') === '24' ? '00' : get('hour')}:${get('minute')}:${get('second')}`;
}

/** The operator's zone, e.g. "Asia/Shanghai (UTC+08:00)". */
export function zoneLabel(): string {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const offset = -new Date().getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  const abs = Math.abs(offset);
  return `${zone} (UTC${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')})`;
}

export function percent(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  return `${(value * 100).toFixed(1)}%`;
}

export function integer(value: number): string {
  return new Intl.NumberFormat(locale()).format(value);
}

/** Fee rule in words: "0.60% + ¥0.10". */
export function feeRule(fee: { percent_bp: number; fixed: number }): string {
  const pct = `${(fee.percent_bp / 100).toFixed(2)}%`;
  return fee.fixed > 0 ? `${pct} + ${money(fee.fixed)}` : pct;
}
