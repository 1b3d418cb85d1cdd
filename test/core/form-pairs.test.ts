import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formPairs } from '../../src/core/form-pairs.js';

const whatwg = (text: string) => [...new URLSearchParams(text)];

describe('formPairs', () => {
  it.each([
    '', '&', '&&a=1&&', 'a', 'a=', '=b', '=', 'a=1&a=2', 'a=b=c', 'a+b=c+d', 'a%20b=c%2Bd', 'sign=ab%2F%3D%3D&x=1',
    'subject=%E5%9F%BA%E5%87%86', 'bad=%', 'bad=%zz&ok=1', 'half=%E5%9F', 'latin=%E9', 'fund_bill_list=%5B%7B%22amount%22%3A%220.10%22%7D%5D',
  ])('reads %j as URLSearchParams does', (text) => {
    expect(formPairs(text)).toEqual(whatwg(text));
  });

  it('agrees with URLSearchParams on any text', () => {
    const pieces = fc.constantFrom('a', 'b', '=', '&', '+', '%', '%2', '%25', '%41', '%E5%9F%BA', '%C3', '%FF', ' ', '中', '\u{1F600}', 'x%zz');
    fc.assert(fc.property(fc.array(pieces, { maxLength: 30 }).map((parts) => parts.join('')), (text) => {
      expect(formPairs(text)).toEqual(whatwg(text));
    }), { numRuns: 2000 });
  });

  it('agrees on a whole encoded form', () => {
    fc.assert(fc.property(fc.dictionary(fc.string(), fc.string()), (fields) => {
      const text = new URLSearchParams(fields).toString();
      expect(formPairs(text)).toEqual(whatwg(text));
    }));
  });
});
