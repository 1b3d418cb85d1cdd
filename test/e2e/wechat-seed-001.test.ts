/**
 * Seed 001's exact flow, end to end: an order `{accountId, subject, totalFee, metadata{channelId,
 * detailUrl, isTest, orderNumber}, openId}` becomes a `wx_pub` charge whose credential is the
 * seed's signature structure (six fields), the buyer pays in the JSAPI page, and an endpoint
 * subscribed with the `scrm` format receives the `payment_notification` message with every
 * WeChat field the seed lists. Both dialects.
 */
process.env.PAYGATE_SANDBOX_RETRY_SCHEDULE = '300ms,300ms,1s';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { startReceiver, type Receiver } from '../webhooks/support/receiver.js';
import { createDispatcher, type Dispatcher } from '../../src/webhooks/dispatcher.js';
import { chargeRequestFromScrmOrder } from '../../src/channels/wechat/scrm-order.js';
import { wechatRig, type WechatCharge, type WechatRig } from './wechat-support.js';

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`seed 001 WeChat order flow (${dialect.name})`, () => {
    let rig: WechatRig;
    let receiver: Receiver;
    let dispatcher: Dispatcher;
    beforeAll(async () => {
      rig = await wechatRig(dialect, 'v2');
      receiver = await startReceiver(() => ({ status: 200, body: 'SUCCESS' }));
      dispatcher = createDispatcher(rig.server.paygate.deps, { bus: rig.server.paygate.bus, pollIntervalMs: 30, schedule: [0, 100] });
      dispatcher.start();
    });
    afterAll(async () => {
      await dispatcher?.stop();
      await receiver?.close();
      await rig?.close();
    });

    it('order → wx_pub charge with the six-field signature → paid → scrm payment_notification', async () => {
      const endpoint = await rig.api<{ id: string }>('POST', '/v1/webhook_endpoints', { url: `${receiver.url}/weconnect`, events: ['charge.succeeded'], format: 'scrm' });
      expect(endpoint.status).toBe(200);

      const openId = await rig.openid('seed-buyer');
      const order = {
        accountId: rig.server.app.id,
        subject: '预约服务',
        totalFee: 1,
        metadata: { channelId: rig.channelId, detailUrl: 'https://www.quncrm.com/reservation/view/order/577a2073fa2f94c53c8b4665', isTest: false, orderNumber: 'P2016070400000006' },
        openId,
      };
      const request = chargeRequestFromScrmOrder(order, { orderNo: `seed001_${Date.now()}`, clientIp: '10.0.0.8' });
      const created = await rig.api<WechatCharge>('POST', '/v1/charges', request);
      expect(created.status).toBe(200);
      const charge = created.body;
      const signature = charge.credential.wx_pub!;
      expect(Object.keys(signature).sort()).toEqual(['appId', 'nonceStr', 'package', 'paySign', 'signType', 'timeStamp']);
      expect(signature).toMatchObject({ appId: rig.account.appid, signType: 'MD5', package: expect.stringMatching(/^prepay_id=wx/), timeStamp: expect.stringMatching(/^\d{10}$/) });
      expect((charge.time_expire as number) - (charge.created as number)).toBe(3600);

      const paid = await (await fetch(`${rig.sandboxUrl}/jsapi/pay`, { method: 'POST', body: JSON.stringify({ params: signature }) })).json();
      expect(paid).toEqual({ err_msg: 'get_brand_wcpay_request:ok' });
      expect((await rig.retrieve(charge.id)).status).toBe('succeeded');

      const [delivered] = await receiver.waitFor(1, 10_000);
      const message = JSON.parse(delivered!.body) as { type: string; channel: Record<string, unknown>; data: Record<string, unknown> };
      expect(message.type).toBe('msg');
      expect(message.channel).toMatchObject({ id: rig.channelId, social: 'wechat' });
      expect(message.data).toMatchObject({
        type: 'payment_notification',
        channelType: 'WECHAT',
        quncrmAccountId: rig.server.app.id,
        tradeType: 'JSAPI',
        sellerId: rig.account.mch_id,
        buyerId: openId,
        spbillCreateIp: '10.0.0.8',
        subject: '预约服务',
        totalFee: 1,
        tradeNo: expect.stringMatching(/^4200\d{24}$/),
        tradeStatus: 'SUCCESS',
        metadata: order.metadata,
        extension: expect.objectContaining({ wechatAppId: rig.account.appid, prepayId: signature.package.slice('prepay_id='.length) }),
      });
      expect(message.data.paymentTime).toBeTruthy();
    });
  });
}
