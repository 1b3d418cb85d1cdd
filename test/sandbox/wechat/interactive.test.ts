import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wechatChannel } from '../../../src/channels/wechat/wechat-channel.js';
import { startHarness, type Harness } from './harness.js';

describe('the sandbox in interactive mode', () => {
  let h: Harness;
  beforeAll(async () => { h = await startHarness({ version: 'v2', mode: 'interactive' }); });
  afterAll(async () => { await h.close(); });

  it('NATIVE: GET shows Pay / Fail; Fail leaves the order payable; Pay pays', async () => {
    const ctx = h.ctx();
    const charge = h.charge({ channel: 'wx_pub_qr' });
    const created = await wechatChannel.createPayment(ctx, charge);
    if (!created.ok) throw new Error(created.message);
    const codeUrl = (created.credential as { code_url: string }).code_url;
    const page = await (await fetch(codeUrl)).text();
    expect(page).toContain('id="pay"');
    expect(page).toContain('id="fail"');
    expect(await wechatChannel.query!(ctx, charge)).toMatchObject({ status: 'pending' });
    const pr = new URL(codeUrl).searchParams.get('pr')!;
    const form = (action: string) => fetch(`${h.sandbox.url}/bizpayurl`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ pr, action }).toString() });
    expect(await (await form('fail')).text()).toContain('支付失败');
    expect(await wechatChannel.query!(ctx, charge)).toMatchObject({ ok: true, status: 'pending', facts: { tradeStatus: 'PAYERROR' } });
    expect(await (await form('pay')).text()).toContain('支付成功');
    expect(await wechatChannel.query!(ctx, charge)).toMatchObject({ status: 'paid' });
  });

  it('JSAPI: the bridge script asks before paying', async () => {
    const script = await (await fetch(`${h.sandbox.url}/jsbridge.js`)).text();
    expect(script).toContain('var INTERACTIVE = true');
    expect(script).toContain('getBrandWCPayRequest');
  });
});
