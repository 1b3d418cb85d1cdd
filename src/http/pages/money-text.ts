/** Amounts for people: "¥ 12.34" from 1234 fen, always through `toMajorString`. */
import { toMajorString } from '../../core/money.js';

const SYMBOLS: Readonly<Record<string, string>> = { cny: '¥', usd: '$', eur: '€', gbp: '£', jpy: '¥', hkd: 'HK$', krw: '₩', sgd: 'S$', twd: 'NT$', aud: 'A$', cad: 'C$' };

export function currencySymbol(currency: string): string {
  return SYMBOLS[currency.toLowerCase()] ?? currency.toUpperCase();
}

/** `{ symbol: "¥", major: "12.34" }`. */
export function majorAmount(amount: number, currency: string): { symbol: string; major: string } {
  return { symbol: currencySymbol(currency), major: toMajorString(amount, currency) };
}
