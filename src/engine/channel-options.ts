/**
 * Validates a channel's options against its type's schema and splits them into the public part
 * (stored as JSON) and the secret part (stored encrypted). Every error names the field.
 */
import type { ChannelOptions, ChannelType, OptionField, OptionValue } from '../channels/contract.js';
import { fail } from '../core/errors.js';

export interface SplitOptions {
  readonly publicOptions: Record<string, OptionValue>;
  readonly secretOptions: Record<string, OptionValue>;
}

/** `input` replaces fields of `current`; a secret field absent from `input` keeps its value. */
export function validateChannelOptions(type: ChannelType, livemode: boolean, input: Record<string, unknown>, current: ChannelOptions = {}): SplitOptions {
  const known = new Map(type.options.map((field) => [field.name, field]));
  for (const name of Object.keys(input)) {
    if (!known.has(name)) {
      fail('parameter_unknown', { param: `options.${name}`, message: `The ${type.type} channel has no option "${name}"; it has ${[...known.keys()].join(', ')}.` });
    }
  }
  const merged: Record<string, OptionValue> = {};
  for (const field of type.options) {
    const raw = name(input, field.name) ?? current[field.name] ?? field.default;
    if (raw === undefined || raw === null || raw === '') {
      if (field.required === true || (field.required === 'live' && livemode)) {
        fail('channel_options_invalid', { param: `options.${field.name}`, message: `options.${field.name} (${field.label.en}) is required${field.required === 'live' ? ' for a live channel' : ''}.` });
      }
      continue;
    }
    merged[field.name] = coerce(field, raw);
  }
  type.validateOptions?.(merged, livemode);
  const publicOptions: Record<string, OptionValue> = {};
  const secretOptions: Record<string, OptionValue> = {};
  for (const field of type.options) {
    const value = merged[field.name];
    if (value === undefined) continue;
    (field.secret ? secretOptions : publicOptions)[field.name] = value;
  }
  return { publicOptions, secretOptions };
}

function name(input: Record<string, unknown>, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(input, key) ? input[key] : undefined;
}

function coerce(field: OptionField, raw: unknown): OptionValue {
  const param = `options.${field.name}`;
  const wrong = (what: string): never => fail('channel_options_invalid', { param, message: `options.${field.name} ${what}.` });
  let value: OptionValue;
  switch (field.kind) {
    case 'boolean':
      if (typeof raw === 'boolean') value = raw;
      else if (raw === 'true' || raw === '1') value = true;
      else if (raw === 'false' || raw === '0') value = false;
      else return wrong('must be true or false');
      break;
    case 'integer': {
      const n = typeof raw === 'string' && /^-?\d+$/.test(raw) ? Number(raw) : raw;
      if (typeof n !== 'number' || !Number.isSafeInteger(n)) return wrong('must be an integer');
      value = n;
      break;
    }
    case 'enum':
      if (typeof raw !== 'string' || !field.enum?.includes(raw)) return wrong(`must be one of ${field.enum?.join(', ')}`);
      value = raw;
      break;
    case 'url':
      if (typeof raw !== 'string' || !isHttpUrl(raw)) return wrong('must be an http(s) URL');
      value = raw;
      break;
    default:
      if (typeof raw !== 'string') return wrong('must be a string');
      if (raw.length > 20_000) return wrong('is too long');
      value = field.kind === 'pem' ? raw.trim() : raw;
  }
  const problem = field.check?.(value);
  if (problem) wrong(problem);
  return value;
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** What a read shows of options: public ones as saved, secret ones masked. */
export function maskedOptions(type: ChannelType | undefined, publicOptions: Record<string, unknown>, secretOptions: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...publicOptions };
  for (const [key, value] of Object.entries(secretOptions)) {
    const text = String(value);
    out[key] = text.length > 12 ? `****${text.replace(/\s|-----[A-Z ]+-----/g, '').slice(-4)}` : '****';
  }
  void type;
  return out;
}
