/** Plain-text output helpers shared by the commands: aligned tables, times, amounts. */
import { toMajorString } from '../core/money.js';

/** Left-aligned columns separated by two spaces; the first row is usually a header. */
export function formatTable(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => { widths[i] = Math.max(widths[i] ?? 0, [...cell].length); });
  return rows
    .map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell + ' '.repeat(widths[i]! - [...cell].length))).join('  '))
    .join('\n');
}

/** Unix seconds → `2024-05-01 12:00:00Z`; `-` for none. */
export function formatTime(unixSeconds: number | null | undefined): string {
  if (unixSeconds === null || unixSeconds === undefined) return '-';
  return new Date(unixSeconds * 1000).toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, 'Z');
}

/** 1234 fen, cny → `12.34 CNY`. */
export function formatAmount(amount: number, currency: string): string {
  return `${toMajorString(amount, currency)} ${currency.toUpperCase()}`;
}
