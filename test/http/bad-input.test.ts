/**
 * Every malformed, missing, oversize, negative, non-integer or unknown field is a 400 naming
 * the parameter (413 for an oversize body), and nothing is written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { startTestServer, type TestServer } from '../support/server.js';
import type { ChargeObject } from '../../src/engine/api-types.js';
import { chargeBody, client } from './helpers.js';

const REQUIRED = ['order_no', 'channel', 'amount', 'currency', 'client_ip', 'subject', 'body'];

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`bad input (${dialect.name})`, () => {
    let s: TestServer;
    let call: ReturnType<typeof client>;
    beforeAll(async () => {
      s = await startTestServer({ dialect, bodyLimit: 64 * 1024 });
      call = client(s);
    });
    afterAll(() => s?.close());

    async function expectRefused(body: unknown, code: string, param: string | undefined, status = 400, form = false) {
      const res = await call('POST', '/v1/charges', body, { form });
      expect(res.status, res.text).toBe(status);
      expect(res.body.error?.code, res.text).toBe(code);
      if (param !== undefined) expect(res.body.error?.param, res.text).toBe(param);
      expect(res.body.error?.message.length).toBeGreaterThan(10);
      return res;
    }

    it.each(REQUIRED)('refuses a charge without %s, naming it', async (field) => {
      const body = chargeBody();
      delete body[field];
      await expectRefused(body, 'parameter_missing', field);
    });

    it.each([
      ['negative', -100],
      ['zero', 0],
      ['float', 10.5],
      ['string', '100'],
      ['boolean', true],
      ['too large', 10 ** 13],
      ['null', null],
    ])('refuses a %s amount in JSON', async (_name, amount) => {
      await expectRefused(chargeBody({ amount }), 'parameter_invalid', 'amount');
    });

    it.each(['1.5', '1e3', '-5', ' 7', '0x10', 'abc', ''])('refuses the form amount %j', async (amount) => {
      const form = new URLSearchParams({ ...(chargeBody() as Record<string, string>), amount }).toString();
      await expectRefused(form, 'parameter_invalid', 'amount', 400, true);
    });

    it('refuses a non-numeric form time_expire, naming it', async () => {
      const form = new URLSearchParams({ ...(chargeBody({ amount: '100' }) as Record<string, string>), time_expire: '12x' }).toString();
      await expectRefused(form, 'parameter_invalid', 'time_expire', 400, true);
    });

    it('refuses a time_expire in the past', async () => {
      await expectRefused(chargeBody({ time_expire: 1000 }), 'time_expire_invalid', 'time_expire');
    });

    it('refuses an unknown currency and an unknown channel', async () => {
      await expectRefused(chargeBody({ currency: 'xyz' }), 'currency_unsupported', 'currency');
      await expectRefused(chargeBody({ channel: 'bitcoin' }), 'channel_code_unknown', 'channel');
    });

    it('refuses unknown and wrongly typed parameters, nested ones named with brackets', async () => {
      await expectRefused(chargeBody({ amout: 5 }), 'parameter_unknown', 'amout');
      await expectRefused(chargeBody({ app: { id: s.app.id, name: 'x' } }), 'parameter_unknown', 'app[name]');
      await expectRefused(chargeBody({ app: { id: 5 } }), 'parameter_invalid', 'app[id]');
      await expectRefused(chargeBody({ extra: 'escrow' }), 'parameter_invalid', 'extra');
      await expectRefused(chargeBody({ subject: 'x'.repeat(129) }), 'parameter_invalid', 'subject');
      await expectRefused(chargeBody({ client_ip: 'localhost' }), 'parameter_invalid', 'client_ip');
      await expectRefused(chargeBody({ notify_url: 'ftp://x' }), 'parameter_invalid', 'notify_url');
    });

    it('answers another app in app[id] as not found', async () => {
      await expectRefused(chargeBody({ app: { id: 'app_someoneelse' } }), 'resource_not_found', 'app[id]', 404);
    });

    it('refuses bodies that are not parameters', async () => {
      const broken = await call('POST', '/v1/charges', undefined, { raw: '{"amount": 1', headers: { 'content-type': 'application/json' } });
      expect(broken.status).toBe(400);
      expect(broken.body.error?.code).toBe('body_invalid');
      const list = await call('POST', '/v1/charges', [1, 2]);
      expect(list.status).toBe(400);
      expect(list.body.error?.code).toBe('body_invalid');
      const xml = await call('POST', '/v1/charges', undefined, { raw: '<xml/>', headers: { 'content-type': 'text/xml' } });
      expect(xml.status).toBe(400);
      expect(xml.body.error?.code).toBe('body_invalid');
    });

    it('answers an oversize body with 413 body_too_large', async () => {
      const res = await call('POST', '/v1/charges', chargeBody({ metadata: { blob: 'x'.repeat(70 * 1024) } }));
      expect(res.status).toBe(413);
      expect(res.body.error?.code).toBe('body_too_large');
      expect(res.body.error?.message).toContain(String(64 * 1024));
    });

    it('wrote nothing for any refused request', async () => {
      const list = await call<{ data: ChargeObject[] }>('GET', '/v1/charges?limit=100');
      expect(list.body.data).toEqual([]);
      const events = await call<{ data: unknown[] }>('GET', '/v1/events?type=charge.created&limit=100');
      expect(events.body.data).toEqual([]);
    });

    it('validates query strings and path parameters too', async () => {
      for (const limit of ['0', '101', 'ten', '2.5']) {
        const res = await call('GET', `/v1/charges?limit=${limit}`);
        expect(res.status).toBe(400);
        expect(res.body.error?.param).toBe('limit');
      }
      const unknown = await call('GET', '/v1/charges?colour=blue');
      expect(unknown.body.error).toMatchObject({ code: 'parameter_unknown', param: 'colour' });
      const missing = await call('GET', '/v1/charges/ch_doesnotexist');
      expect(missing.status).toBe(404);
      expect(missing.body.error?.code).toBe('resource_not_found');
    });

    it('answers unknown routes with route_not_found in the error shape', async () => {
      const res = await call('GET', '/v1/nothing-here');
      expect(res.status).toBe(404);
      expect(res.body.error).toMatchObject({ type: 'invalid_request_error', code: 'route_not_found' });
      expect(res.headers['cache-control']).toBe('no-store');
    });

    it('accepts a form-encoded charge with nested keys and coerces only what the schema types', async () => {
      const form = [
        'order_no=form-1', `app[id]=${s.app.id}`, 'channel=test', 'amount=250', 'currency=cny', 'client_ip=10.0.0.1',
        'subject=%E8%8C%B6%E6%9D%AF', 'body=Tea+cup', 'extra[escrow]=true', 'metadata[orderNumber]=P42', 'metadata[count]=7',
        `time_expire=${Math.floor(Date.now() / 1000) + 600}`,
      ].join('&');
      const res = await call<ChargeObject>('POST', '/v1/charges', form, { form: true });
      expect(res.status, res.text).toBe(200);
      expect(res.body).toMatchObject({ amount: 250, subject: '茶杯', body: 'Tea cup', escrow: true, extra: { escrow: true }, metadata: { orderNumber: 'P42', count: '7' } });
    });
  });
}
