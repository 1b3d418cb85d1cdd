/**
 * Pay-on-behalf (seed 001 代支付) end to end: channel B, an official account without WeChat Pay,
 * pays through channel A. The pay-OAuth runs A's silent OAuth and returns the buyer's openid under
 * A; a charge on B with it is collected by A's merchant and shows under B (records, events). An
 * openid under B would be refused by WeChat (the sandbox, like WeChat, refuses it). Also the
 * JS-SDK config of B, with its ticket fetched once for concurrent callers.
 */
process.env.PAYGATE_SANDBOX_RETRY_SCHEDULE = '300ms,300ms,1s';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { jssdkSignature } from '../../src/channels/wechat/jssdk-sign.js';
import { sharedTokenCache } from '../../src/channels/wechat/jssdk.js';
import { newAccount, open, wechatRig, type WechatAccount, type WechatRig } from './wechat-support.js';

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`pay-on-behalf and the pay-OAuth (${dialect.name})`, () => {
    let rig: WechatRig;
    let accountB: WechatAccount;
    let channelB: string;
    beforeAll(async () => {
      rig = await wechatRig(dialect, 'v2');
      accountB = newAccount(false);
      channelB = await rig.createChannel({ appid: accountB.appid, app_secret: accountB.app_secret }, { name: 'Official account B', delegate: rig.channelId });
    });
    afterAll(async () => { await rig?.close(); });

    /** Follows the pay-OAuth as a browser would, as sandbox user `user`. */
    async function payOAuth(redirect: string, user: string): Promise<URL> {
      const start = await open(`${rig.server.url}/oauth/wechat/pay?channel=${channelB}&redirect=${encodeURIComponent(redirect)}`);
      expect(start.status).toBe(302);
      const cookie = start.setCookie!.split(';')[0]!;
      const authorize = new URL(start.location!);
      expect(authorize.origin + authorize.pathname).toBe(`${rig.sandboxUrl}/connect/oauth2/authorize`);
      expect(authorize.searchParams.get('appid')).toBe(rig.account.appid);
      expect(authorize.searchParams.get('scope')).toBe('snsapi_base');
      authorize.hash = '';
      authorize.searchParams.set('sandbox_user', user);
      const atWechat = await open(authorize.toString());
      expect(atWechat.status).toBe(302);
      const back = await open(atWechat.location!, { headers: { cookie } });
      expect(back.status).toBe(302);
      return new URL(back.location!);
    }

    it('runs A\'s OAuth and returns to the allowed redirect with channelId=B and the openid under A', async () => {
      const landing = await payOAuth('https://shop.example/pay?order=42', 'grace');
      expect(landing.origin + landing.pathname).toBe('https://shop.example/pay');
      expect(landing.searchParams.get('order')).toBe('42');
      expect(landing.searchParams.get('channelId')).toBe(channelB);
      const buyerId = landing.searchParams.get('buyerId');
      expect(buyerId).toBe(await rig.openid('grace'));
      expect(buyerId).not.toBe(await rig.openid('grace', accountB));
    });

    it('refuses a redirect to a host the app did not allow, and a callback from another browser', async () => {
      const refused = await fetch(`${rig.server.url}/oauth/wechat/pay?channel=${channelB}&redirect=${encodeURIComponent('https://evil.example/steal')}`, { redirect: 'manual' });
      expect(refused.status).toBe(400);
      expect(await refused.json()).toMatchObject({ error: { code: 'parameter_invalid', param: 'redirect' } });
      const start = await open(`${rig.server.url}/oauth/wechat/pay?channel=${channelB}&redirect=${encodeURIComponent('https://shop.example/pay')}`);
      const atWechat = await open(start.location!.replace('#wechat_redirect', ''));
      const stolen = await fetch(atWechat.location!, { redirect: 'manual', headers: { cookie: 'paygate_wx_oauth=someoneelse' } });
      expect(stolen.status).toBe(400);
      expect(await stolen.json()).toMatchObject({ error: { param: 'state' } });
    });

    it('a charge on B with the buyerId is paid through A and shows under B', async () => {
      const landing = await payOAuth('https://shop.example/pay', 'heidi');
      const buyerId = landing.searchParams.get('buyerId')!;
      const charge = await rig.charge('wx_pub', 680, { open_id: buyerId }, { channel_id: channelB, metadata: { orderNumber: 'P2016070400000006', detailUrl: 'https://shop.example/orders/6', isTest: true } });
      expect(charge.channel_id).toBe(channelB);
      expect(charge.credential.wx_pub!.appId).toBe(rig.account.appid);
      const paid = await (await fetch(`${rig.sandboxUrl}/jsapi/pay`, { method: 'POST', body: JSON.stringify({ params: charge.credential.wx_pub }) })).json();
      expect(paid).toEqual({ err_msg: 'get_brand_wcpay_request:ok' });
      expect(await rig.retrieve(charge.id)).toMatchObject({ status: 'succeeded', channel_id: channelB });
      expect((await rig.sandbox().trades.get(rig.account.mch_id, charge.id))?.appid).toBe(rig.account.appid);

      const recordsB = await rig.api<{ data: Array<{ charge: string; delegated: boolean; paid_through: string; order_number: string; detail_url: string; is_test: boolean }> }>('GET', `/v1/channels/${channelB}/records`);
      expect(recordsB.body.data).toEqual([expect.objectContaining({ charge: charge.id, delegated: true, paid_through: rig.channelId, order_number: 'P2016070400000006', detail_url: 'https://shop.example/orders/6', is_test: true })]);
      const recordsA = await rig.api<{ data: Array<{ charge: string }> }>('GET', `/v1/channels/${rig.channelId}/records`);
      expect(recordsA.body.data.map((r) => r.charge)).not.toContain(charge.id);
      const events = await rig.api<{ data: Array<{ type: string; data: { object: { channel_id: string } } }> }>('GET', `/v1/events?charge=${charge.id}`);
      expect(events.body.data.find((e) => e.type === 'charge.succeeded')?.data.object.channel_id).toBe(channelB);
    });

    it('an openid under B (not A) is refused when the charge is made, as WeChat refuses it', async () => {
      const wrong = await rig.api<{ error: { code: string; message: string } }>('POST', '/v1/charges', {
        order_no: `wrong_${Date.now()}`, channel: 'wx_pub', channel_id: channelB, amount: 1, currency: 'cny', client_ip: '127.0.0.1', subject: 'x', body: 'x',
        extra: { open_id: await rig.openid('heidi', accountB) },
      });
      expect(wrong.status).toBe(402);
      expect(wrong.body.error.message).toContain('appid和openid不匹配');
    });

    it('B alone cannot collect: without a delegate it has no merchant', async () => {
      const lonely = await rig.createChannel({ appid: newAccount(false).appid }, { name: 'No payment', enabled: true });
      const answer = await rig.api<{ error: { code: string; param: string } }>('POST', '/v1/charges', {
        order_no: `lonely_${Date.now()}`, channel: 'wx_pub_qr', channel_id: lonely, amount: 1, currency: 'cny', client_ip: '127.0.0.1', subject: 'x', body: 'x',
      });
      expect(answer.body.error).toMatchObject({ code: 'channel_options_invalid', param: 'options.mch_id' });
    });

    it('JS-SDK config for B: signature over B\'s ticket and the URL without #, one ticket fetch for concurrent callers', async () => {
      const before = rig.sandbox().users.issued.tickets.get(accountB.appid) ?? 0;
      const url = 'https://shop.example/store/item?id=1#/detail';
      const answers = await Promise.all(Array.from({ length: 5 }, () => rig.api<{ appId: string; timestamp: number; nonceStr: string; signature: string }>('GET', `/v1/channels/${channelB}/jssdk_config?url=${encodeURIComponent(url)}`, undefined, rig.server.keys.test_publishable_key)));
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
      expect(Object.keys(answers[0]!.body).sort()).toEqual(['appId', 'nonceStr', 'signature', 'timestamp']);
      expect(answers[0]!.body.appId).toBe(accountB.appid);
      expect(rig.sandbox().users.issued.tickets.get(accountB.appid)).toBe(before + 1);
      expect(rig.sandbox().users.issued.tokens.get(accountB.appid)).toBe(1);
      const ticket = await rig.sandbox().users.jsapiTicket(accountB.appid);
      const { timestamp, nonceStr, signature } = answers[0]!.body;
      expect(signature).toBe(jssdkSignature({ jsapi_ticket: ticket.ticket, noncestr: nonceStr, timestamp, url: 'https://shop.example/store/item?id=1' }));
      const missing = await rig.api<{ error: { param: string } }>('GET', `/v1/channels/${channelB}/jssdk_config`);
      expect(missing.body.error.param).toBe('url');
      expect([...sharedTokenCache.fetches.keys()].some((k) => k.includes(accountB.appid))).toBe(true);
    });
  });
}
