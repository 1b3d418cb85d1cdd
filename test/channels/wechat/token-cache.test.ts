import { describe, expect, it } from 'vitest';
import { EXPIRY_MARGIN_MS, TokenCache } from '../../../src/channels/wechat/token-cache.js';
import { jsapiTicketFor } from '../../../src/channels/wechat/jssdk.js';
import { readSettings } from '../../../src/channels/wechat/options.js';
import type { ChannelHttpRequest } from '../../../src/channels/contract.js';

describe('token cache', () => {
  it('fetches once for concurrent callers and again only after expiry (minus the margin)', async () => {
    let now = 0;
    const cache = new TokenCache(() => now);
    let fetches = 0;
    const fetch = async () => {
      fetches += 1;
      await new Promise((r) => setTimeout(r, 10));
      return { value: `t${fetches}`, expiresIn: 7200 };
    };
    expect(await Promise.all(Array.from({ length: 10 }, () => cache.get('k', fetch)))).toEqual(Array(10).fill('t1'));
    expect(fetches).toBe(1);
    now = 7200_000 - EXPIRY_MARGIN_MS - 1;
    expect(await cache.get('k', fetch)).toBe('t1');
    now += 2;
    expect(await cache.get('k', fetch)).toBe('t2');
    cache.invalidate('k', 'not-current');
    expect(await cache.get('k', fetch)).toBe('t2');
    cache.invalidate('k');
    expect(await cache.get('k', fetch)).toBe('t3');
  });

  it('does not cache a failed fetch', async () => {
    const cache = new TokenCache();
    await expect(cache.get('k', async () => { throw new Error('down'); })).rejects.toThrow('down');
    expect(await cache.get('k', async () => ({ value: 'ok', expiresIn: 7200 }))).toBe('ok');
  });

  it('refreshes a token WeChat calls stale (40001) once, then gets the ticket', async () => {
    const settings = readSettings({ appid: 'wxd930ea5d5a258f4f', app_secret: 's'.repeat(32), gateway: 'http://mp.test' }, false);
    const calls: string[] = [];
    let tokens = 0;
    const http = {
      async request(request: ChannelHttpRequest) {
        const url = new URL(request.url);
        calls.push(url.pathname);
        if (url.pathname === '/cgi-bin/token') return { status: 200, headers: {}, body: JSON.stringify({ access_token: `tok${++tokens}`, expires_in: 7200 }) };
        if (url.searchParams.get('access_token') === 'tok1') return { status: 200, headers: {}, body: JSON.stringify({ errcode: 40001, errmsg: 'invalid credential' }) };
        return { status: 200, headers: {}, body: JSON.stringify({ errcode: 0, errmsg: 'ok', ticket: 'T', expires_in: 7200 }) };
      },
    };
    expect(await jsapiTicketFor(http, settings, new TokenCache())).toBe('T');
    expect(calls).toEqual(['/cgi-bin/token', '/cgi-bin/ticket/getticket', '/cgi-bin/token', '/cgi-bin/ticket/getticket']);
  });
});
