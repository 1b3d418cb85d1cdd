/**
 * End to end through paygate's HTTP API and its embedded Alipay sandbox, on SQLite and
 * PostgreSQL: every channel code pays the way a buyer would, and each flow ends with the
 * charge in the right state and the right events.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlipaySdk } from 'alipay-sdk';
import { DIALECTS } from '../support/dialects.js';
import { alipayRig, open, type AlipayRig, type Charge } from './alipay-support.js';

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`Alipay end to end (${dialect.name})`, () => {
    let rig: AlipayRig;
    beforeAll(async () => { rig = await alipayRig(dialect); });
    afterAll(async () => { await rig?.close(); });

    const retrieve = async (id: string) => (await rig.api<Charge>('GET', `/v1/charges/${id}`)).body;

    /** The buyer opens a page-flow pay URL: the sandbox pays, then the browser comes back through paygate. */
    async function payThroughBrowser(charge: Charge, code: string): Promise<string> {
      const payUrl = charge.credential[code]!.url as string;
      expect(payUrl.startsWith(`${rig.server.url}/sandbox/alipay/gateway.do?`)).toBe(true);
      const atAlipay = await open(payUrl);
      expect(atAlipay.status).toBe(302);
      expect(atAlipay.location!.startsWith(`${rig.server.url}/return/${rig.channelId}?`)).toBe(true);
      const back = await open(atAlipay.location!);
      expect(back.status).toBe(302);
      return back.location!;
    }

    it('page pay (alipay_pc_direct): the pay URL pays, the return lands on the result page', async () => {
      const charge = await rig.charge('alipay_pc_direct', 1234);
      expect(charge.credential.alipay_pc_direct!.params).toMatchObject({ method: 'alipay.trade.page.pay', sign_type: 'RSA2', app_id: rig.appId });
      const landing = await payThroughBrowser(charge, 'alipay_pc_direct');
      expect(landing).toBe(`${rig.server.url}/pay/result/${charge.id}`);
      const paid = await retrieve(charge.id);
      expect(paid).toMatchObject({ status: 'succeeded', paid: true });
      expect(paid.transaction_no).toMatch(/^\d{8}2200\d{16}$/);
      expect(await rig.eventTypes(charge.id)).toEqual(['charge.created', 'charge.pending', 'charge.succeeded']);
      const page = await open(landing);
      expect(page.status).toBe(200);
    });

    it('wap pay (alipay_wap) the same way, with QUICK_WAP_WAY', async () => {
      const charge = await rig.charge('alipay_wap', 1);
      expect(JSON.parse(charge.credential.alipay_wap!.params ? (charge.credential.alipay_wap!.params as Record<string, string>).biz_content! : '{}')).toMatchObject({ product_code: 'QUICK_WAP_WAY', total_amount: '0.01' });
      await payThroughBrowser(charge, 'alipay_wap');
      expect((await retrieve(charge.id)).status).toBe('succeeded');
      expect(await rig.eventTypes(charge.id)).toEqual(['charge.created', 'charge.pending', 'charge.succeeded']);
    });

    it('QR (alipay_qr): hosted QR page, the scan pays, the page moves on to the result', async () => {
      const charge = await rig.charge('alipay_qr', 500);
      const { qr_code: qrCode, url: hosted } = charge.credential.alipay_qr as { qr_code: string; url: string };
      const page = await open(hosted);
      expect(page.status).toBe(200);
      expect(page.text).toContain('<svg');
      expect(page.text).toContain(`data-qr-code="${qrCode}"`);
      const scan = await open(qrCode);
      expect(scan.status).toBe(200);
      expect((await retrieve(charge.id)).status).toBe('succeeded');
      expect((await open(hosted)).location).toBe(`/pay/result/${charge.id}`);
      expect(await rig.eventTypes(charge.id)).toEqual(['charge.created', 'charge.pending', 'charge.succeeded']);
    });

    it('legacy direct pay (alipay_direct): MD5-signed URL, MD5 notify and return', async () => {
      const charge = await rig.charge('alipay_direct', 100);
      const params = charge.credential.alipay_direct!.params as Record<string, string>;
      expect(params).toMatchObject({ service: 'create_direct_pay_by_user', sign_type: 'MD5', partner: rig.partner, total_fee: '1.00' });
      await payThroughBrowser(charge, 'alipay_direct');
      expect((await retrieve(charge.id)).status).toBe('succeeded');
      expect(await rig.eventTypes(charge.id)).toEqual(['charge.created', 'charge.pending', 'charge.succeeded']);
    });

    it('legacy escrow (alipay_escrow): secured, shipped through send_goods, confirmed by the buyer', async () => {
      const charge = await rig.charge('alipay_escrow', 8800, { logistics_type: 'EMS' });
      expect(charge.escrow).toBe(true);
      await payThroughBrowser(charge, 'alipay_escrow');
      expect((await retrieve(charge.id)).status).toBe('secured_paid');
      const shipped = await rig.api<Charge>('POST', `/v1/charges/${charge.id}/ship`, { logistics_name: 'SF Express', invoice_no: 'SF1234567890', transport_type: 'EXPRESS' });
      expect(shipped.status).toBe(200);
      expect(shipped.body.status).toBe('shipped');
      const confirmed = await rig.api<Charge>('POST', `/v1/charges/${charge.id}/confirm`);
      expect(confirmed.status).toBe(200);
      expect(confirmed.body.status).toBe('succeeded');
      expect(await rig.eventTypes(charge.id)).toEqual(['charge.created', 'charge.pending', 'charge.secured_paid', 'charge.shipped', 'charge.succeeded']);
      const log = await rig.server.paygate.charges.log(charge.id);
      expect(log.some((line) => line.message.includes('send_goods') || JSON.stringify(line.data ?? '').includes('send_goods_confirm_by_platform'))).toBe(true);
      expect(log.filter((line) => line.kind === 'notify' && line.message.startsWith('notify verified')).length).toBeGreaterThanOrEqual(3);
    });

    it('partial then full refunds, each with its event; the sandbox refuses a third', async () => {
      const charge = await rig.charge('alipay_qr', 1000);
      await open((charge.credential.alipay_qr as { qr_code: string }).qr_code);
      expect((await retrieve(charge.id)).status).toBe('succeeded');
      const first = await rig.api<{ status: string; amount: number }>('POST', `/v1/charges/${charge.id}/refunds`, { amount: 300, description: 'partial' });
      expect(first.body).toMatchObject({ status: 'succeeded', amount: 300 });
      const rest = await rig.api<{ status: string; amount: number }>('POST', `/v1/charges/${charge.id}/refunds`, {});
      expect(rest.body).toMatchObject({ status: 'succeeded', amount: 700 });
      const after = await retrieve(charge.id);
      expect(after).toMatchObject({ amount_refunded: 1000, refunded: true, status: 'succeeded' });
      const third = await rig.api<{ error: { code: string } }>('POST', `/v1/charges/${charge.id}/refunds`, { amount: 1 });
      expect(third.status).toBe(409);
      expect(third.body.error.code).toBe('refund_amount_exceeded');
      expect(await rig.eventTypes(charge.id)).toEqual(['charge.created', 'charge.pending', 'charge.succeeded', 'refund.succeeded', 'refund.succeeded']);
      // The sandbox's refund notifies arrive too and change nothing more.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect((await retrieve(charge.id)).amount_refunded).toBe(1000);
    });

    it('close (reverse): the sandbox closes the trade, a later scan cannot pay it', async () => {
      const charge = await rig.charge('alipay_qr', 200);
      const reversed = await rig.api<Charge>('POST', `/v1/charges/${charge.id}/reverse`);
      expect(reversed.status).toBe(200);
      expect(reversed.body.status).toBe('closed');
      const scan = await open((charge.credential.alipay_qr as { qr_code: string }).qr_code);
      expect(scan.text).toContain('TRADE_CLOSED');
      expect((await retrieve(charge.id)).status).toBe('closed');
      expect(await rig.eventTypes(charge.id)).toEqual(['charge.created', 'charge.pending', 'charge.closed']);
    });

    it('closes a page-pay charge whose buyer never opened the cashier', async () => {
      const charge = await rig.charge('alipay_pc_direct', 200);
      const reversed = await rig.api<Charge>('POST', `/v1/charges/${charge.id}/reverse`);
      expect(reversed.body.status).toBe('closed');
    });

    it('simulate drives the sandbox as the buyer: paid and failed arrive as notifies', async () => {
      const paid = await rig.charge('alipay_pc_direct', 300);
      const simulated = await rig.api<Charge>('POST', `/v1/charges/${paid.id}/simulate`, { outcome: 'paid' });
      expect(simulated.body.status).toBe('succeeded');
      expect(simulated.body.transaction_no).toMatch(/^\d{8}2200\d{16}$/);
      const failed = await rig.charge('alipay_qr', 300);
      const closed = await rig.api<Charge>('POST', `/v1/charges/${failed.id}/simulate`, { outcome: 'failed' });
      expect(closed.body.status).toBe('closed');
      const log = await rig.server.paygate.charges.log(failed.id);
      expect(log.some((line) => line.kind === 'notify' && line.message.includes('closed'))).toBe(true);
    });

    it('seed 000: /capi ALIPAY from pc is page pay, fetch_pay_url gives the URL that pays', async () => {
      const created = await rig.api<{ id: string; pay_url: string }>('POST', '/capi/api/v1/charge', { subject: 'Test For Charge', amount: 100, channel: 'ALIPAY', source: 'pc', client_ip: '127.0.0.1' });
      expect(created.status).toBe(200);
      const fetched = await rig.api<{ pay_url: string }>('POST', `/capi/api/v1/charge/${created.body.id}/fetch_pay_url`, { channel: 'ALIPAY' });
      expect(fetched.body.pay_url).toContain('/sandbox/alipay/gateway.do?');
      expect((await open(fetched.body.pay_url)).status).toBe(302);
      expect((await retrieve(created.body.id)).status).toBe('succeeded');
    });

    it('the official SDK works against the embedded sandbox, which calls back only paygate itself', async () => {
      const sdk = new AlipaySdk({
        appId: rig.appId, privateKey: rig.privateKeyPem, keyType: 'PKCS8', gateway: `${rig.server.url}/sandbox/alipay/gateway.do`,
        alipayPublicKey: (await rig.sandboxKeys()).alipayPublicKeyPem,
      });
      const outTradeNo = `sdk_${Date.now()}`;
      const inside = await sdk.exec('alipay.trade.precreate', { notifyUrl: `${rig.server.url}/notify/${rig.channelId}`, bizContent: { outTradeNo, totalAmount: '0.01', subject: 'sdk' } }, { validateSign: true });
      expect(inside).toMatchObject({ code: '10000', outTradeNo });
      const outside = await sdk.exec('alipay.trade.precreate', { notifyUrl: 'http://169.254.169.254/latest/meta-data', bizContent: { outTradeNo: `${outTradeNo}x`, totalAmount: '0.01', subject: 'sdk' } }, { validateSign: true });
      expect(outside).toMatchObject({ code: '40002', subCode: 'isv.invalid-notify-url' });
    });

    it('a key that does not parse is a 400 naming the field', async () => {
      const bad = await rig.api<{ error: { code: string; param: string } }>('POST', '/v1/channels', { type: 'alipay', livemode: false, options: { app_id: '9021000000000009', private_key: 'MIIBroken==' } });
      expect(bad.status).toBe(400);
      expect(bad.body.error.param).toBe('options.private_key');
      // A live channel (made by an operator, with live keys) must have Alipay's public key.
      await expect(rig.server.paygate.channels.create(rig.server.app.id, { type: 'alipay', livemode: true, options: { app_id: '2021000000000009', private_key: rig.privateKeyPem } }))
        .rejects.toMatchObject({ code: 'channel_options_invalid', param: 'options.alipay_public_key' });
      const publicAsPrivate = await rig.api<{ error: { param: string } }>('POST', '/v1/channels', { type: 'alipay', livemode: false, options: { app_id: '9021000000000009', private_key: rig.privateKeyPem, alipay_public_key: rig.privateKeyPem } });
      expect(publicAsPrivate.status).toBe(400);
      expect(publicAsPrivate.body.error.param).toBe('options.alipay_public_key');
      const read = await rig.api<{ options: Record<string, string> }>('GET', `/v1/channels/${rig.channelId}`);
      expect(read.body.options.private_key).not.toContain('PRIVATE KEY');
      expect(read.body.options.key).not.toBe(rig.md5Key);
    });
  });
}
