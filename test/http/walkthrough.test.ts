/**
 * The issue-2 curl walkthrough, over a real port with `fetch`, on SQLite and PostgreSQL:
 * create → GET the pay URL → succeeded with fee and amount_settle → partial and full refunds →
 * over-refund refused; escrow ship/confirm (and auto-confirm); reverse; simulate refused for live.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { startTestServer, type TestServer } from '../support/server.js';
import type { ChargeObject, ChannelObject, RefundObject } from '../../src/engine/api-types.js';
import { chargeBody, type Json } from './helpers.js';

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`the curl walkthrough over a real port (${dialect.name})`, () => {
    let s: TestServer;
    let call: <T = Json>(method: string, path: string, body?: unknown, key?: string) => Promise<{ status: number; body: T; headers: Headers }>;

    beforeAll(async () => {
      s = await startTestServer({ dialect });
      call = async <T,>(method: string, path: string, body?: unknown, key = s.keys.test_secret_key) => {
        const res = await fetch(s.url + path, {
          method,
          headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        return { status: res.status, body: (await res.json()) as T, headers: res.headers };
      };
      const fee = await call<ChannelObject>('PATCH', `/v1/channels/${s.testChannel.id}`, { fee: { percent_bp: 60, fixed: 1 } });
      expect(fee.status).toBe(200);
    });
    afterAll(() => s?.close());

    it('creates a pending charge whose pay URL, fetched plainly, pays it', async () => {
      const created = await call<ChargeObject>('POST', '/v1/charges', chargeBody({ app: { id: s.app.id }, amount: 1000 }));
      expect(created.status).toBe(200);
      expect(created.headers.get('cache-control')).toBe('no-store');
      const charge = created.body;
      expect(charge).toMatchObject({ object: 'charge', status: 'pending', paid: false, livemode: false, amount: 1000, currency: 'cny', app: s.app.id });
      const payUrl = (charge.credential.test as { pay_url: string }).pay_url;
      expect(charge.credential.object).toBe('credential');
      expect(payUrl).toBe(`${s.url}/pay/test/${charge.id}`);

      const page = await fetch(payUrl);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toContain('text/html');
      expect(await page.text()).toContain('支付成功');

      const paid = await call<ChargeObject>('GET', `/v1/charges/${charge.id}`);
      expect(paid.body).toMatchObject({ status: 'succeeded', paid: true, fee: 7, amount_settle: 993 });
      expect(paid.body.time_paid).toBeGreaterThan(0);
      expect(paid.body.transaction_no).toMatch(/\S+/);

      const partial = await call<RefundObject>('POST', `/v1/charges/${charge.id}/refunds`, { amount: 300, description: 'one broken' });
      expect(partial.status).toBe(200);
      expect(partial.body).toMatchObject({ object: 'refund', amount: 300, status: 'succeeded', charge: charge.id });

      const over = await call('POST', `/v1/charges/${charge.id}/refunds`, { amount: 701 });
      expect(over.status).toBe(409);
      expect(over.body.error).toMatchObject({ code: 'refund_amount_exceeded', param: 'amount' });

      const rest = await call<RefundObject>('POST', `/v1/charges/${charge.id}/refunds`, {});
      expect(rest.body).toMatchObject({ amount: 700, status: 'succeeded' });

      const more = await call('POST', `/v1/charges/${charge.id}/refunds`, { amount: 1 });
      expect(more.status).toBeGreaterThanOrEqual(400);

      const after = await call<ChargeObject>('GET', `/v1/charges/${charge.id}`);
      expect(after.body).toMatchObject({ amount_refunded: 1000, refunded: true });
      expect(after.body.refunds.data).toHaveLength(2);
      const list = await call<{ data: RefundObject[] }>('GET', `/v1/charges/${charge.id}/refunds`);
      expect(list.body.data.map((r) => r.amount)).toEqual([700, 300]);
      const one = await call<RefundObject>('GET', `/v1/charges/${charge.id}/refunds/${partial.body.id}`);
      expect(one.body.description).toBe('one broken');
    });

    it('runs an escrow charge through secured_paid, ship and confirm', async () => {
      const { body: charge } = await call<ChargeObject>('POST', '/v1/charges', chargeBody({ extra: { escrow: true } }));
      expect(charge.escrow).toBe(true);
      await fetch((charge.credential.test as { pay_url: string }).pay_url);
      expect((await call<ChargeObject>('GET', `/v1/charges/${charge.id}`)).body).toMatchObject({ status: 'secured_paid', paid: true });

      const early = await call('POST', `/v1/charges/${charge.id}/confirm`);
      expect(early.status).toBe(409);
      const noInvoice = await call('POST', `/v1/charges/${charge.id}/ship`, { logistics_name: 'SF' });
      expect(noInvoice.status).toBe(400);
      expect(noInvoice.body.error?.param).toBe('invoice_no');

      const shipped = await call<ChargeObject>('POST', `/v1/charges/${charge.id}/ship`, { logistics_name: 'SF Express', invoice_no: 'SF1234567', transport_type: 'EXPRESS' });
      expect(shipped.body).toMatchObject({ status: 'shipped', shipment: { logistics_name: 'SF Express', invoice_no: 'SF1234567' } });
      const confirmed = await call<ChargeObject>('POST', `/v1/charges/${charge.id}/confirm`);
      expect(confirmed.body.status).toBe('succeeded');
    });

    it('auto-confirms after shipping when the test channel says so', async () => {
      await call('PATCH', `/v1/channels/${s.testChannel.id}`, { options: { auto_confirm: true } });
      try {
        const { body: charge } = await call<ChargeObject>('POST', '/v1/charges', chargeBody({ extra: { escrow: true } }));
        await call('POST', `/v1/charges/${charge.id}/simulate`, { outcome: 'secured_paid' });
        const shipped = await call<ChargeObject>('POST', `/v1/charges/${charge.id}/ship`, { logistics_name: 'EMS', invoice_no: 'E1' });
        expect(shipped.body.status).toBe('succeeded');
      } finally {
        await call('PATCH', `/v1/channels/${s.testChannel.id}`, { options: { auto_confirm: false } });
      }
    });

    it('reverses a pending charge, and then it can no longer be paid', async () => {
      const { body: charge } = await call<ChargeObject>('POST', '/v1/charges', chargeBody());
      const reversed = await call<ChargeObject>('POST', `/v1/charges/${charge.id}/reverse`);
      expect(reversed.body).toMatchObject({ status: 'closed', reversed: true, paid: false });
      const page = await fetch((charge.credential.test as { pay_url: string }).pay_url);
      expect(await page.text()).toContain('交易已关闭');
      expect((await call<ChargeObject>('GET', `/v1/charges/${charge.id}`)).body.status).toBe('closed');
    });

    it('simulates outcomes in test mode and refuses simulate for live keys', async () => {
      const { body: charge } = await call<ChargeObject>('POST', '/v1/charges', chargeBody());
      const bad = await call('POST', `/v1/charges/${charge.id}/simulate`, { outcome: 'won' });
      expect(bad.status).toBe(400);
      expect(bad.body.error).toMatchObject({ code: 'parameter_invalid', param: 'outcome' });
      const live = await call('POST', `/v1/charges/${charge.id}/simulate`, { outcome: 'paid' }, s.keys.live_secret_key);
      expect(live.status).toBe(403);
      expect(live.body.error?.code).toBe('livemode_only_test');
      const paid = await call<ChargeObject>('POST', `/v1/charges/${charge.id}/simulate`, { outcome: 'paid' });
      expect(paid.body.status).toBe('succeeded');
      const failed = await call<ChargeObject>('POST', `/v1/charges/${(await call<ChargeObject>('POST', '/v1/charges', chargeBody())).body.id}/simulate`, { outcome: 'failed' });
      expect(failed.body.status).toBe('closed');
    });

    it('lists charges newest first with cursors and records events', async () => {
      const page1 = await call<{ data: ChargeObject[]; has_more: boolean }>('GET', `/v1/charges?app[id]=${s.app.id}&limit=2`);
      expect(page1.body.data).toHaveLength(2);
      expect(page1.body.has_more).toBe(true);
      const page2 = await call<{ data: ChargeObject[] }>('GET', `/v1/charges?limit=2&starting_after=${page1.body.data[1]!.id}`);
      expect(page2.body.data[0]!.id).not.toBe(page1.body.data[1]!.id);
      const back = await call<{ data: ChargeObject[] }>('GET', `/v1/charges?limit=2&ending_before=${page2.body.data[0]!.id}`);
      expect(back.body.data.map((c) => c.id)).toEqual(page1.body.data.map((c) => c.id));

      const events = await call<{ data: { id: string; type: string }[] }>('GET', '/v1/events?type=charge.succeeded&limit=100');
      expect(events.body.data.length).toBeGreaterThanOrEqual(3);
      expect(events.body.data.every((e) => e.type === 'charge.succeeded')).toBe(true);
      const one = await call<{ id: string }>('GET', `/v1/events/${events.body.data[0]!.id}`);
      expect(one.body.id).toBe(events.body.data[0]!.id);
    });
  });
}
