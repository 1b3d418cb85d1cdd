import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseV2Time, parseV3Time, toV2Time, toV3Time } from '../../../src/channels/wechat/time.js';

describe('WeChat time formats (China Standard Time)', () => {
  it('format unix ms as yyyyMMddHHmmss and RFC 3339 +08:00', () => {
    const ms = Date.UTC(2009, 11, 27, 1, 10, 10);
    expect(toV2Time(ms)).toBe('20091227091010');
    expect(toV3Time(ms)).toBe('2009-12-27T09:10:10+08:00');
    expect(toV2Time(Date.UTC(2026, 0, 1, 20, 0, 0))).toBe('20260102040000');
  });

  it('parse them back, and refuse impossible dates', () => {
    expect(parseV2Time('20091227091010')).toBe(Date.UTC(2009, 11, 27, 1, 10, 10));
    expect(parseV2Time('20090231091010')).toBeUndefined();
    expect(parseV2Time('2009122709101')).toBeUndefined();
    expect(parseV3Time('2018-06-08T10:34:56+08:00')).toBe(Date.UTC(2018, 5, 8, 2, 34, 56));
    expect(parseV3Time('2018-06-08T02:34:56Z')).toBe(Date.UTC(2018, 5, 8, 2, 34, 56));
    expect(parseV3Time('2018-06-08T02:34:56.123-01:30')).toBe(Date.UTC(2018, 5, 8, 4, 4, 56));
    expect(parseV3Time('2018-06-08 10:34:56')).toBeUndefined();
  });

  it('round-trip any second', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 4102444800 }), (seconds) => {
      const ms = seconds * 1000;
      expect(parseV2Time(toV2Time(ms))).toBe(ms);
      expect(parseV3Time(toV3Time(ms))).toBe(ms);
    }));
  });
});
