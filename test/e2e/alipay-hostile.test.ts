/**
 * Hostile notifies at paygate's notify URL, on SQLite and PostgreSQL: only a notify that
 * verifies and matches moves a charge, `success` is answered only after the change committed,
 * and forged or mismatched ones change nothing and never get `success`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { DIALECTS } from '../support/dialects.js';
import { alipayRig, type AlipayRig, type Charge } from './alipay-support.js';
import { md5Sign, signNotify } from '../../src/channels/alipay/sign.js';
import { formatAlipayTime } from '../../src/channels/alipay/time.js';
import { databaseStateStore } from '../../src/sandbox/state-store.js';
import type { NotifyDelivery } from '../../src/sandbox/alipay/notifier.js';

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`hostile Alipay notifies (${dialect.name})`, () => {
    let rig: AlipayRig;
    beforeAll(async () => { rig = await alipayRig(dialect); });
    afterAll(async () => { await rig?.close(); });

    const retrieve = async (id: string) => (await rig.api<Charge>('GET', `/v1/charges/${id}`)).body;

    function notifyFields(charge: Charge, overrides: Record<string, string> = {}): Record<string, string> {
      const now = Date.now();
      return {
        notify_time: formatAlipayTime(now), notify_type: 'trade_status_sync', notify_id: randomBytes(16).toString('hex'),
        app_id: rig.appId, auth_app_id: rig.appId, charset: 'utf-8', version: '1.0',
        trade_no: `${formatAlipayTime(now).slice(0, 10).replaceAll('-', '')}2200${String(now).slice(-13)}123`, out_trade_no: charge.id,
        trade_status: 'TRADE_SUCCESS', total_amount: (charge.amount / 100).toFixed(2), receipt_amount: (charge.amount / 100).toFixed(2),
        seller_id: rig.partner, buyer_id: '2088102534368455', buyer_logon_id: 'buy***@sandbox.paygate',
        gmt_create: formatAlipayTime(now - 5000), gmt_payment: formatAlipayTime(now), subject: 'E2E 测试商品',
        ...overrides,
      };
    }

    async function signedByAlipay(fields: Record<string, string>): Promise<Record<string, string>> {
      return signNotify(fields, (await rig.sandboxKeys()).alipayPrivateKey);
    }

    async function post(params: Record<string, string> | string): Promise<{ status: number; body: string }> {
      const response = await fetch(`${rig.server.url}/notify/${rig.channelId}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
        body: typeof params === 'string' ? params : new URLSearchParams(params).toString(),
      });
      return { status: response.status, body: await response.text() };
    }

    async function expectUntouched(charge: Charge): Promise<void> {
      const now = await retrieve(charge.id);
      expect(now.status).toBe('pending');
      expect(await rig.eventTypes(charge.id)).toEqual(['charge.created', 'charge.pending']);
    }

    it('a genuine notify moves the charge and is answered exactly "success"', async () => {
      const charge = await rig.charge('alipay_qr', 1000);
      const answer = await post(await signedByAlipay(notifyFields(charge)));
      expect(answer.body).toBe('success');
      expect((await retrieve(charge.id)).status).toBe('succeeded');
    });

    it('a forged signature (another key) is refused and changes nothing', async () => {
      const charge = await rig.charge('alipay_qr', 1000);
      const forger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
      const answer = await post(signNotify(notifyFields(charge), forger));
      expect(answer.body).toBe('fail');
      await expectUntouched(charge);
      const log = await rig.server.paygate.charges.log(charge.id);
      expect(log.some((line) => line.kind === 'error' && line.message.includes('does not verify'))).toBe(true);
    });

    it('a validly signed notify with another amount is refused', async () => {
      const charge = await rig.charge('alipay_qr', 1000);
      const answer = await post(await signedByAlipay(notifyFields(charge, { total_amount: '0.01', receipt_amount: '0.01' })));
      expect(answer.body).toBe('fail');
      await expectUntouched(charge);
    });

    it('an amount changed after signing is refused', async () => {
      const charge = await rig.charge('alipay_qr', 1000);
      const signed = await signedByAlipay(notifyFields(charge));
      expect((await post({ ...signed, total_amount: '0.01' })).body).toBe('fail');
      expect((await post({ ...signed, trade_status: 'TRADE_FINISHED' })).body).toBe('fail');
      await expectUntouched(charge);
    });

    it('a validly signed notify for another app_id is refused', async () => {
      const charge = await rig.charge('alipay_qr', 1000);
      const answer = await post(await signedByAlipay(notifyFields(charge, { app_id: '2021009999999999', auth_app_id: '2021009999999999' })));
      expect(answer.body).toBe('fail');
      await expectUntouched(charge);
    });

    it('a repeated parameter is refused before anything is verified', async () => {
      const charge = await rig.charge('alipay_qr', 1000);
      const signed = new URLSearchParams(await signedByAlipay(notifyFields(charge)));
      signed.append('total_amount', '0.01');
      expect((await post(signed.toString())).body).toBe('fail');
      await expectUntouched(charge);
    });

    it('a notify for a trade paygate does not have is refused and logged as an orphan', async () => {
      const ghost = { id: 'ch_doesnotexist000000000000', amount: 1000 } as Charge;
      const answer = await post(await signedByAlipay(notifyFields(ghost)));
      expect(answer.body).toBe('fail');
      const orphans = await rig.server.database.db.selectFrom('charge_logs').selectAll().where('charge_id', 'is', null).where('message', 'like', '%ch_doesnotexist%').execute();
      expect(orphans.length).toBeGreaterThan(0);
    });

    it('a legacy MD5 notify signed with the wrong key is refused', async () => {
      const charge = await rig.charge('alipay_direct', 1000);
      const fields = { notify_id: 'x1', notify_type: 'trade_status_sync', out_trade_no: charge.id, trade_no: '2026010122001', trade_status: 'TRADE_SUCCESS', total_fee: '10.00', seller_id: rig.partner };
      const forged = { ...fields, sign: md5Sign(fields, 'f'.repeat(32)), sign_type: 'MD5' };
      expect((await post(forged)).body).toBe('fail');
      const genuine = { ...fields, sign: md5Sign(fields, rig.md5Key), sign_type: 'MD5' };
      expect((await post({ ...genuine, seller_id: '2088000000000001' })).body).toBe('fail');
      await expectUntouched(charge);
      expect((await post(genuine)).body).toBe('success');
      expect((await retrieve(charge.id)).status).toBe('succeeded');
    });

    it('the replay of the sandbox\'s own old notify after a refund changes nothing', async () => {
      const charge = await rig.charge('alipay_qr', 1000);
      await fetch((charge.credential.alipay_qr as { qr_code: string }).qr_code);
      expect((await retrieve(charge.id)).status).toBe('succeeded');
      const deliveries = await databaseStateStore(rig.server.database.db, 'alipay').list<NotifyDelivery>('notify:');
      const paid = deliveries.find((d) => d.params.out_trade_no === charge.id && d.params.trade_status === 'TRADE_SUCCESS')!.params;
      expect(paid.refund_fee).toBeUndefined();
      const refund = await rig.api<{ status: string }>('POST', `/v1/charges/${charge.id}/refunds`, { amount: 400 });
      expect(refund.body.status).toBe('succeeded');
      await new Promise((resolve) => setTimeout(resolve, 200));
      const before = await rig.eventTypes(charge.id);
      expect((await post(paid)).body).toBe('success');
      const after = await retrieve(charge.id);
      expect(after).toMatchObject({ status: 'succeeded', amount_refunded: 400 });
      expect(await rig.eventTypes(charge.id)).toEqual(before);
    });

    it('20 concurrent copies of one notify: one transition, one event, every copy answered success', async () => {
      const charge = await rig.charge('alipay_qr', 1000);
      const body = new URLSearchParams(await signedByAlipay(notifyFields(charge))).toString();
      const answers = await Promise.all(Array.from({ length: 20 }, () => post(body)));
      expect(answers.map((a) => a.body)).toEqual(Array(20).fill('success'));
      expect((await retrieve(charge.id)).status).toBe('succeeded');
      expect(await rig.eventTypes(charge.id)).toEqual(['charge.created', 'charge.pending', 'charge.succeeded']);
      const transitions = (await rig.server.paygate.charges.log(charge.id)).filter((line) => line.kind === 'transition' && line.message.startsWith('pending → succeeded'));
      expect(transitions).toHaveLength(1);
    });
  });
}
