/** Small readers of admin API query strings (`?limit=20&livemode=false`). */
import { fail } from '../../core/errors.js';

export type Query = Readonly<Record<string, unknown>>;

export function queryOf(raw: unknown): Query {
  return raw && typeof raw === 'object' ? (raw as Query) : {};
}

export function optionalText(query: Query, name: string, max = 200): string | undefined {
  const value = query[name];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || value.length > max) fail('parameter_invalid', { param: name, message: `${name} must be text of at most ${max} characters.` });
  return value;
}

export function optionalInt(query: Query, name: string, min: number, max: number): number | undefined {
  const text = optionalText(query, name, 12);
  if (text === undefined) return undefined;
  if (!/^-?\d+$/.test(text) || Number(text) < min || Number(text) > max) fail('parameter_invalid', { param: name, message: `${name} must be an integer from ${min} to ${max}.` });
  return Number(text);
}

/** `true` / `false`; `all` or absent gives `fallback`. */
export function optionalMode(query: Query, fallback: boolean | undefined): boolean | undefined {
  const text = optionalText(query, 'livemode', 5);
  if (text === undefined || text === 'all') return text === 'all' ? undefined : fallback;
  if (text !== 'true' && text !== 'false') fail('parameter_invalid', { param: 'livemode', message: 'livemode must be true, false or all.' });
  return text === 'true';
}

/** The operator's zone as `getTimezoneOffset()` minutes (−480 for China); default UTC+8. */
export function tzOffset(query: Query): number {
  return optionalInt(query, 'tz_offset', -840, 720) ?? -480;
}

export function bodyOf(raw: unknown): Record<string, unknown> {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) fail('body_invalid', { message: 'The body must be a JSON object.' });
  return raw as Record<string, unknown>;
}
