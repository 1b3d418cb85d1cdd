/**
 * Money is an integer count of a currency's minor unit (fen for CNY) everywhere inside paygate.
 * Conversion to a channel's decimal string ("0.10") happens only at the channel edge, and only
 * here, with integer arithmetic: never `Number(yuan) * 100`.
 */
import { fail } from './errors.js';

/** ISO 4217 currencies paygate accepts, with their number of minor-unit digits. */
export const CURRENCIES: Readonly<Record<string, number>> = Object.freeze({
  cny: 2,
  hkd: 2,
  usd: 2,
  eur: 2,
  gbp: 2,
  jpy: 0,
  krw: 0,
  sgd: 2,
  twd: 2,
  aud: 2,
  cad: 2,
});

/** Largest amount paygate accepts: 10^12 minor units keeps every product with a fee rate exact. */
export const MAX_AMOUNT = 1_000_000_000_000;

export function normalizeCurrency(code: unknown, param = 'currency'): string {
  if (typeof code !== 'string' || code.length === 0) fail('parameter_missing', { param, message: `${param} is required, e.g. "cny".` });
  const lower = code.toLowerCase();
  if (!(lower in CURRENCIES)) fail('currency_unsupported', { param, message: `Currency "${code}" is not supported; use one of ${Object.keys(CURRENCIES).join(', ')}.` });
  return lower;
}

export function minorDigits(currency: string): number {
  const digits = CURRENCIES[currency.toLowerCase()];
  if (digits === undefined) fail('currency_unsupported', { param: 'currency' });
  return digits;
}

/** Checks that a value is a valid amount in minor units and returns it. */
export function assertAmount(value: unknown, param = 'amount', { allowZero = false } = {}): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < (allowZero ? 0 : 1) || value > MAX_AMOUNT) {
    fail('amount_invalid', { param, message: `${param} must be an integer number of minor units between ${allowZero ? 0 : 1} and ${MAX_AMOUNT}.` });
  }
  return value;
}

/** 10 fen → "0.10" (CNY); 1234 → "12.34"; 5 yen → "5". */
export function toMajorString(minor: number, currency: string): string {
  const digits = minorDigits(currency);
  if (!Number.isSafeInteger(minor)) throw new RangeError(`not an integer amount: ${minor}`);
  const negative = minor < 0;
  const abs = String(Math.abs(minor));
  if (digits === 0) return (negative ? '-' : '') + abs;
  const padded = abs.padStart(digits + 1, '0');
  return `${negative ? '-' : ''}${padded.slice(0, -digits)}.${padded.slice(-digits)}`;
}

/**
 * "0.10" → 10 (CNY). Strict: at most the currency's digits after the point, no exponent, no
 * sign, no spaces. Returns undefined for anything else, so a tampered amount never parses loosely.
 */
export function parseMajorString(text: string, currency: string): number | undefined {
  const digits = minorDigits(currency);
  const match = /^(\d{1,13})(?:\.(\d+))?$/.exec(text);
  if (!match) return undefined;
  const fraction = match[2] ?? '';
  if (fraction.length > digits) return undefined;
  const minor = Number(match[1]) * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0');
  return Number.isSafeInteger(minor) ? minor : undefined;
}
