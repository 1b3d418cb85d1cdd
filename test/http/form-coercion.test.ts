/** Form and query strings are coerced strictly against the route's schema, never guessed. */
import { describe, expect, it } from 'vitest';
import { coerceToSchema } from '../../src/http/form-coercion.js';
import { paramName } from '../../src/http/error-handler.js';
import { ChargeCreateBody } from '../../src/http/schemas/charge.js';
import { ChannelCreateBody } from '../../src/http/schemas/channel.js';

describe('coerceToSchema', () => {
  it('turns plain digits into integers where the schema wants an integer, and nothing else', () => {
    for (const [text, expected] of [['100', 100], ['0', 0], ['007', 7]] as const) {
      expect(coerceToSchema(ChargeCreateBody, { amount: text })).toEqual({ amount: expected });
    }
    for (const text of ['1.5', '1e3', '-1', ' 7', '7 ', '0x10', '', 'abc', '99999999999999999']) {
      expect(coerceToSchema(ChargeCreateBody, { amount: text })).toEqual({ amount: text });
    }
    expect(coerceToSchema(ChargeCreateBody, { order_no: '123' })).toEqual({ order_no: '123' });
  });

  it('turns true/false into booleans where typed, and in free-form extra and metadata', () => {
    expect(coerceToSchema(ChannelCreateBody, { livemode: 'false', enabled: 'true' })).toEqual({ livemode: false, enabled: true });
    expect(coerceToSchema(ChannelCreateBody, { enabled: 'yes' })).toEqual({ enabled: 'yes' });
    expect(coerceToSchema(ChargeCreateBody, { extra: { escrow: 'true', n: '5', nested: { on: 'false' } }, metadata: { isTest: 'false', k: 'v' } }))
      .toEqual({ extra: { escrow: true, n: '5', nested: { on: false } }, metadata: { isTest: false, k: 'v' } });
  });

  it('walks nested objects, arrays and nullable types', () => {
    expect(coerceToSchema(ChannelCreateBody, { fee: { percent_bp: '60', fixed: '1' }, transaction_types: ['order'], delegate: '' }))
      .toEqual({ fee: { percent_bp: 60, fixed: 1 }, transaction_types: ['order'], delegate: null });
  });

  it('leaves unknown keys alone for validation to name', () => {
    expect(coerceToSchema(ChargeCreateBody, { amout: '5' })).toEqual({ amout: '5' });
  });
});

describe('paramName', () => {
  it('names nested parameters the way forms write them', () => {
    expect(paramName('/amount')).toBe('amount');
    expect(paramName('/app', 'id')).toBe('app[id]');
    expect(paramName('/fee/percent_bp')).toBe('fee[percent_bp]');
    expect(paramName('', 'order_no')).toBe('order_no');
    expect(paramName('')).toBe('');
  });
});
