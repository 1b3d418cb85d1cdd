import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.js';

describe('the sandbox\'s OAuth and JS-SDK endpoints', () => {
  let h: Harness;
  let k: Harness['sandbox']['keys']['config'];
  beforeAll(async () => { h = await startHarness({ version: 'v2' }); k = h.sandbox.keys.config; });
  afterAll(async () => { await h.close(); });

  const authorize = (query: string) => fetch(`${h.sandbox.url}/connect/oauth2/authorize?${query}`, { redirect: 'manual' });

  it('gives one user the same openid every time, and two users different ones', async () => {
    const a1 = await h.openid('erin');
    const a2 = await h.openid('erin');
    const b = await h.openid('frank');
    expect(a1).toMatch(/^o[0-9A-Za-z_-]{27}$/);
    expect(a2).toBe(a1);
    expect(b).not.toBe(a1);
  });

  it('redirects with code and state; a code works once; a wrong secret or appid is refused', async () => {
    const answer = await authorize(`appid=${k.appid}&redirect_uri=${encodeURIComponent('https://shop.example/cb?x=1')}&response_type=code&scope=snsapi_base&state=st8`);
    expect(answer.status).toBe(302);
    const location = new URL(answer.headers.get('location')!);
    expect(location.searchParams.get('x')).toBe('1');
    expect(location.searchParams.get('state')).toBe('st8');
    expect(answer.headers.get('set-cookie')).toContain('wxsandbox_user=');
    const code = location.searchParams.get('code')!;
    const exchange = (secret: string, appid = k.appid) => fetch(`${h.sandbox.url}/sns/oauth2/access_token?appid=${appid}&secret=${secret}&code=${code}&grant_type=authorization_code`).then((r) => r.json());
    expect(await exchange('wrong')).toEqual({ errcode: 40125, errmsg: 'invalid appsecret' });
    expect(await exchange(k.app_secret, 'wx0000000000000000')).toEqual({ errcode: 40013, errmsg: 'invalid appid' });
    expect(await exchange(k.app_secret)).toMatchObject({ openid: expect.stringMatching(/^o/), scope: 'snsapi_base', expires_in: 7200 });
    expect(await exchange(k.app_secret)).toEqual({ errcode: 40163, errmsg: 'code been used' });
    expect((await authorize(`appid=wx0000000000000000&redirect_uri=https%3A%2F%2Fa.example&response_type=code&scope=snsapi_base`)).status).toBe(400);
    expect((await authorize(`appid=${k.appid}&redirect_uri=javascript%3Aalert(1)&response_type=code&scope=snsapi_base`)).status).toBe(400);
  });

  it('issues access tokens and jsapi tickets; a replaced token works for five more minutes only', async () => {
    const token = async () => (await (await fetch(`${h.sandbox.url}/cgi-bin/token?grant_type=client_credential&appid=${k.appid}&secret=${k.app_secret}`)).json()) as { access_token: string; expires_in: number };
    const first = await token();
    expect(first.expires_in).toBe(7200);
    const ticket = async (t: string) => (await fetch(`${h.sandbox.url}/cgi-bin/ticket/getticket?access_token=${t}&type=jsapi`)).json();
    const t1 = await ticket(first.access_token);
    expect(t1).toMatchObject({ errcode: 0, errmsg: 'ok', expires_in: expect.any(Number) });
    expect(await ticket('nonsense')).toMatchObject({ errcode: 40001 });
    const second = await token();
    expect(second.access_token).not.toBe(first.access_token);
    expect(await ticket(first.access_token)).toMatchObject({ errcode: 0, ticket: (t1 as { ticket: string }).ticket });
    expect(h.sandbox.sandbox.users.issued.tokens.get(k.appid)).toBe(2);
    expect(await (await fetch(`${h.sandbox.url}/cgi-bin/token?grant_type=client_credential&appid=${k.appid}&secret=bad`)).json()).toMatchObject({ errcode: 40125 });
  });
});
