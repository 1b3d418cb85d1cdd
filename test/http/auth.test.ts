/**
 * Authentication and scoping: Bearer and Basic secret keys; 401 for missing, wrong and revoked
 * keys; publishable keys and client secrets read one charge only; another app's objects and
 * the other mode's objects are not found.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { startTestServer, type TestServer } from '../support/server.js';
import type { AppKeys, ChargeObject } from '../../src/engine/api-types.js';
import { chargeBody, client } from './helpers.js';

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`authentication and scope (${dialect.name})`, () => {
    let s: TestServer;
    let call: ReturnType<typeof client>;
    let charge: ChargeObject;
    let other: { appId: string; keys: AppKeys; charge: ChargeObject };

    beforeAll(async () => {
      s = await startTestServer({ dialect });
      call = client(s);
      charge = (await call<ChargeObject>('POST', '/v1/charges', chargeBody())).body;
      const created = await s.paygate.apps.create({ name: 'Other shop' });
      await s.paygate.channels.create(created.app.id, { type: 'test', livemode: false, options: { payment_password: '654321' } });
      const otherCharge = await s.paygate.charges.create({ app_id: created.app.id, livemode: false }, chargeBody() as never);
      other = { appId: created.app.id, keys: created.keys, charge: otherCharge };
    });
    afterAll(() => s?.close());

    it('answers a request without a key with 401 authentication_required', async () => {
      const res = await call('GET', '/v1/charges', undefined, { key: null });
      expect(res.status).toBe(401);
      expect(res.body.error).toMatchObject({ type: 'authentication_error', code: 'authentication_required' });
    });

    it('answers wrong, malformed and foreign-scheme keys with 401 api_key_invalid', async () => {
      for (const key of ['sk_test_' + 'A'.repeat(32), 'nonsense', s.keys.test_secret_key + 'x']) {
        const res = await call('GET', '/v1/charges', undefined, { key });
        expect(res.status).toBe(401);
        expect(res.body.error?.code).toBe('api_key_invalid');
        expect(res.body.error?.message).not.toContain(key.slice(8, -4) || '\u0000');
      }
      const digest = await call('GET', '/v1/charges', undefined, { key: null, headers: { authorization: 'Digest abc' } });
      expect(digest.status).toBe(401);
    });

    it('accepts the secret key as the HTTP Basic user, as the pingpp SDK sends it', async () => {
      const basic = Buffer.from(`${s.keys.test_secret_key}:`).toString('base64');
      const res = await call<ChargeObject>('GET', `/v1/charges/${charge.id}`, undefined, { key: null, headers: { authorization: `Basic ${basic}` } });
      expect(res.status).toBe(200);
      expect(res.body.id).toBe(charge.id);
    });

    it('lets a publishable key read one charge but nothing else', async () => {
      const pk = s.keys.test_publishable_key;
      expect((await call('GET', `/v1/charges/${charge.id}`, undefined, { key: pk })).status).toBe(200);
      for (const [method, url, body] of [['GET', '/v1/charges'], ['POST', '/v1/charges', chargeBody()], ['POST', `/v1/charges/${charge.id}/reverse`], ['GET', '/v1/events'], ['GET', '/v1/channels']] as const) {
        const res = await call(method, url, body, { key: pk });
        expect(res.status, `${method} ${url}`).toBe(403);
        expect(res.body.error?.code).toBe('key_not_allowed');
      }
      const foreign = await call('GET', `/v1/charges/${other.charge.id}`, undefined, { key: pk });
      expect(foreign.status).toBe(404);
    });

    it('lets a charge\'s client_secret read that charge only, as a header or a query parameter', async () => {
      const secret = charge.client_secret!;
      expect(secret).toMatch(new RegExp(`^${charge.id}_secret_`));
      expect((await call('GET', `/v1/charges/${charge.id}`, undefined, { key: secret })).status).toBe(200);
      expect((await call('GET', `/v1/charges/${charge.id}?client_secret=${secret}`, undefined, { key: null })).status).toBe(200);
      expect((await call('GET', `/v1/charges/${charge.id}?client_secret=${s.keys.test_publishable_key}`, undefined, { key: null })).status).toBe(200);
      const secretInUrl = await call('GET', `/v1/charges/${charge.id}?client_secret=${s.keys.test_secret_key}`, undefined, { key: null });
      expect(secretInUrl.status).toBe(403);
      expect(secretInUrl.body.error?.message).toMatch(/Authorization header/);
      const another = (await call<ChargeObject>('POST', '/v1/charges', chargeBody())).body;
      expect((await call('GET', `/v1/charges/${another.id}`, undefined, { key: secret })).status).toBe(404);
      expect((await call('GET', '/v1/charges', undefined, { key: secret })).status).toBe(403);
      const forged = `${charge.id}_secret_${'x'.repeat(24)}`;
      expect((await call('GET', `/v1/charges/${charge.id}`, undefined, { key: forged })).status).toBe(401);
      const fetched = await call<{ pay_url: string }>('POST', `/capi/api/v1/charge/${charge.id}/fetch_pay_url`, {}, { key: secret });
      expect(fetched.status).toBe(200);
      expect(fetched.body.pay_url).toBe(`${s.url}/pay/test/${charge.id}`);
    });

    it('answers another app\'s objects with 404, never 403', async () => {
      expect((await call('GET', `/v1/charges/${other.charge.id}`)).status).toBe(404);
      expect((await call('POST', `/v1/charges/${other.charge.id}/refunds`, {})).status).toBe(404);
      expect((await call('POST', `/v1/charges/${other.charge.id}/reverse`)).status).toBe(404);
      expect((await call('GET', `/v1/apps/${other.appId}`)).status).toBe(404);
      const list = await call('GET', `/v1/charges?app[id]=${other.appId}`);
      expect(list.status).toBe(404);
      expect(list.body.error?.param).toBe('app[id]');
      const theirs = await call<{ data: ChargeObject[] }>('GET', '/v1/charges?limit=100', undefined, { key: other.keys.test_secret_key });
      expect(theirs.body.data.map((c) => c.id)).toEqual([other.charge.id]);
    });

    it('keeps test and live apart: a live key does not see test charges or channels', async () => {
      const live = s.keys.live_secret_key;
      expect((await call('GET', `/v1/charges/${charge.id}`, undefined, { key: live })).status).toBe(404);
      expect((await call<{ data: unknown[] }>('GET', '/v1/charges', undefined, { key: live })).body.data).toEqual([]);
      expect((await call<{ data: unknown[] }>('GET', '/v1/channels', undefined, { key: live })).body.data).toEqual([]);
      expect((await call('GET', `/v1/channels/${s.testChannel.id}`, undefined, { key: live })).status).toBe(404);
      const testCharge = await call('POST', '/v1/charges', chargeBody(), { key: live });
      expect(testCharge.status).toBe(400);
      expect(testCharge.body.error?.param).toBe('channel');
    });

    it('stops accepting a key once it is rolled, and the new one works', async () => {
      const { app, keys } = await s.paygate.apps.create({ name: 'Rolling shop' });
      const rolled = await call<{ key: string; kind: string; livemode: boolean }>('POST', `/v1/apps/${app.id}/keys/roll`, {}, { key: keys.test_secret_key });
      expect(rolled.status).toBe(200);
      expect(rolled.body).toMatchObject({ kind: 'secret', livemode: false });
      expect(rolled.body.key).toMatch(/^sk_test_/);
      expect((await call('GET', `/v1/apps/${app.id}`, undefined, { key: keys.test_secret_key })).status).toBe(401);
      const me = await call<{ id: string; payment_ready: unknown; missing: unknown }>('GET', `/v1/apps/${app.id}`, undefined, { key: rolled.body.key });
      expect(me.body).toMatchObject({ id: app.id, payment_ready: { test: false, live: false } });
      const cross = await call('POST', `/v1/apps/${app.id}/keys/roll`, { livemode: true }, { key: rolled.body.key });
      expect(cross.status).toBe(403);
      expect(cross.body.error?.code).toBe('livemode_mismatch');
    });
  });
}
