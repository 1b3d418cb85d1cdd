/**
 * Hostile notifies at paygate's `/notify/:channel_id` for a WeChat channel, v2 and v3, on both
 * dialects: forged, tampered, mismatched, replayed, an XML bomb, an oversize body. None changes
 * the charge or adds an event; each gets WeChat's failure answer and a line in the charge's log
 * (or the orphan log). The genuine notify, sent twice, succeeds once and changes nothing the second time.
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { signV2 } from '../../src/channels/wechat/sign-v2.js';
import { signV3Response } from '../../src/channels/wechat/sign-v3.js';
import { encryptGcm } from '../../src/channels/wechat/aes.js';
import { toV2Time, toV3Time } from '../../src/channels/wechat/time.js';
import { buildWechatXml } from '../../src/channels/wechat/xml.js';
import { wechatRig, type WechatCharge, type WechatRig } from './wechat-support.js';

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`hostile v2 notifies (${dialect.name})`, () => {
    let rig: WechatRig;
    let charge: WechatCharge;
    let events: string[];
    beforeAll(async () => {
      rig = await wechatRig(dialect, 'v2');
      charge = await rig.charge('wx_pub_qr', 100);
      events = await rig.eventTypes(charge.id);
    });
    afterAll(async () => { await rig?.close(); });

    function fields(overrides: Record<string, string> = {}): Record<string, string> {
      return {
        appid: rig.account.appid, bank_type: 'OTHERS', cash_fee: '100', fee_type: 'CNY', is_subscribe: 'N', mch_id: rig.account.mch_id,
        nonce_str: randomUUID().replace(/-/g, ''), openid: 'oAttacker00000000000000000000', out_trade_no: charge.id, result_code: 'SUCCESS',
        return_code: 'SUCCESS', time_end: toV2Time(Date.now()), total_fee: '100', trade_type: 'NATIVE', transaction_id: '4200000000202601010000000001', ...overrides,
      };
    }
    const signed = (f: Record<string, string>, key = rig.account.api_key) => buildWechatXml({ ...f, sign: signV2(f, key) });
    const post = (body: string) => fetch(`${rig.server.url}/notify/${rig.channelId}`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body });

    async function expectRefused(body: string): Promise<void> {
      const answer = await post(body);
      expect(answer.status).toBe(500);
      expect(await answer.text()).toContain('<return_code><![CDATA[FAIL]]></return_code>');
      expect(await rig.retrieve(charge.id)).toMatchObject({ status: 'pending', paid: false });
      expect(await rig.eventTypes(charge.id)).toEqual(events);
    }

    it('refuses a notify signed with another key', () => expectRefused(signed(fields(), 'f'.repeat(32))));
    it('refuses a tampered total_fee (signature no longer matches)', () => expectRefused(signed(fields()).replace('<total_fee>100</total_fee>', '<total_fee>1</total_fee>')));
    it('refuses a well-signed notify whose amount is not the charge\'s', () => expectRefused(signed(fields({ total_fee: '1', cash_fee: '1' }))));
    it('refuses a well-signed notify naming another appid or mch_id', async () => {
      await expectRefused(signed(fields({ appid: 'wx0000000000000000' })));
      await expectRefused(signed(fields({ mch_id: '1900000000' })));
    });
    it('refuses duplicated fields (two total_fee) and a missing sign', async () => {
      await expectRefused(signed(fields()).replace('</xml>', '<total_fee>100</total_fee></xml>'));
      await expectRefused(buildWechatXml(fields()));
    });
    it('refuses an XML bomb and an external entity', async () => {
      await expectRefused(`<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><xml><attach>&c;</attach></xml>`);
      await expectRefused(`<!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><xml><attach>&xxe;</attach></xml>`);
    });
    it('refuses an oversize body (over the XML cap; over the server limit it is a 413)', async () => {
      await expectRefused(signed(fields({ attach: 'x'.repeat(70_000) })));
      const huge = await post(`<xml><attach>${'x'.repeat(1_200_000)}</attach></xml>`);
      expect(huge.status).toBe(413);
      expect((await rig.retrieve(charge.id)).status).toBe('pending');
    });
    it('a result_code=FAIL notify changes nothing', async () => {
      const answer = await post(signed(fields({ result_code: 'FAIL', err_code: 'PAYERROR' })));
      expect(answer.status).toBe(200);
      expect(await rig.retrieve(charge.id)).toMatchObject({ status: 'pending' });
      expect(await rig.eventTypes(charge.id)).toEqual(events);
    });
    it('logs the refusals on the charge', async () => {
      const log = await rig.server.paygate.charges.log(charge.id);
      const refusals = log.filter((l) => l.kind === 'error').map((l) => l.message);
      expect(refusals.some((m) => m.includes('sign does not verify'))).toBe(true);
      expect(refusals.some((m) => m.includes('does not match the charge'))).toBe(true);
      expect(refusals.some((m) => m.includes('appid'))).toBe(true);
    });
    it('the genuine notify succeeds once; replayed, it changes nothing', async () => {
      const genuine = signed(fields());
      const first = await post(genuine);
      expect(first.status).toBe(200);
      expect(await first.text()).toContain('SUCCESS');
      const after = await rig.eventTypes(charge.id);
      expect(after).toEqual([...events, 'charge.succeeded']);
      const replay = await post(genuine);
      expect(replay.status).toBe(200);
      expect(await rig.eventTypes(charge.id)).toEqual(after);
      expect((await rig.retrieve(charge.id)).status).toBe('succeeded');
    });
  });

  describe.skipIf(!dialect.available)(`hostile v3 notifies (${dialect.name})`, () => {
    let rig: WechatRig;
    let charge: WechatCharge;
    let events: string[];
    beforeAll(async () => {
      rig = await wechatRig(dialect, 'v3');
      charge = await rig.charge('wx_pub_qr', 100);
      events = await rig.eventTypes(charge.id);
    });
    afterAll(async () => { await rig?.close(); });

    function envelope(plain: Record<string, unknown> = {}, key = rig.account.api_v3_key): string {
      const transaction = {
        appid: rig.account.appid, mchid: rig.account.mch_id, out_trade_no: charge.id, transaction_id: '4200000000202601010000000002',
        trade_type: 'NATIVE', trade_state: 'SUCCESS', trade_state_desc: '支付成功', bank_type: 'OTHERS', success_time: toV3Time(Date.now()),
        payer: { openid: 'oAttacker00000000000000000000' }, amount: { total: 100, payer_total: 100, currency: 'CNY', payer_currency: 'CNY' }, ...plain,
      };
      const nonce = 'abcdefghijkl';
      return JSON.stringify({ id: randomUUID(), create_time: toV3Time(Date.now()), resource_type: 'encrypt-resource', event_type: 'TRANSACTION.SUCCESS', summary: '支付成功',
        resource: { original_type: 'transaction', algorithm: 'AEAD_AES_256_GCM', ciphertext: encryptGcm(JSON.stringify(transaction), key, nonce, 'transaction'), associated_data: 'transaction', nonce } });
    }
    async function headers(body: string, options: { key?: string; ageSeconds?: number } = {}): Promise<Record<string, string>> {
      const platform = await rig.sandbox().platform();
      const now = Math.floor(Date.now() / 1000) - (options.ageSeconds ?? 0);
      return { 'content-type': 'application/json', ...signV3Response(body, { privateKey: options.key ?? platform.privateKey, serial: platform.serial, timestamp: now, nonce: 'n0nce' }) };
    }
    const post = async (body: string, h: Record<string, string>) => fetch(`${rig.server.url}/notify/${rig.channelId}`, { method: 'POST', headers: h, body });

    async function expectRefused(body: string, h: Record<string, string>): Promise<void> {
      const answer = await post(body, h);
      expect(answer.status).toBeGreaterThanOrEqual(400);
      expect(await rig.retrieve(charge.id)).toMatchObject({ status: 'pending', paid: false });
      expect(await rig.eventTypes(charge.id)).toEqual(events);
    }

    it('refuses a notify signed by another key', async () => {
      const body = envelope();
      const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
      await expectRefused(body, await headers(body, { key: stranger }));
    });
    it('refuses a tampered body and a resource encrypted under another APIv3 key', async () => {
      const body = envelope();
      const h = await headers(body);
      await expectRefused(body.replace('支付成功', '支付成攻'), h);
      const wrongKey = envelope({}, 'k'.repeat(32));
      await expectRefused(wrongKey, await headers(wrongKey));
    });
    it('refuses a replay older than five minutes and a mismatched amount or appid', async () => {
      const body = envelope();
      await expectRefused(body, await headers(body, { ageSeconds: 400 }));
      const cheap = envelope({ amount: { total: 1, currency: 'CNY' } });
      await expectRefused(cheap, await headers(cheap));
      const other = envelope({ appid: 'wx0000000000000000' });
      await expectRefused(other, await headers(other));
    });
    it('refuses an oversize body and non-JSON', async () => {
      const big = JSON.stringify({ padding: 'x'.repeat(70_000) });
      await expectRefused(big, await headers(big));
      await expectRefused('{not json', await headers('{not json'));
    });
    it('the genuine notify succeeds once; replayed within the window, it changes nothing', async () => {
      const body = envelope();
      const first = await post(body, await headers(body));
      expect(first.status).toBeLessThan(300);
      const after = await rig.eventTypes(charge.id);
      expect(after).toEqual([...events, 'charge.succeeded']);
      const replay = await post(body, await headers(body));
      expect(replay.status).toBeLessThan(300);
      expect(await rig.eventTypes(charge.id)).toEqual(after);
    });
  });
}
