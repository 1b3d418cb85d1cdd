/**
 * `Idempotency-Key` on POSTs, on both dialects: a replay returns the same status and body
 * without running again; the same key with other parameters is 422; a duplicate while the first
 * is in flight is 409; a 5xx releases the key; keys are per app.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { startTestServer, type TestServer } from '../support/server.js';
import type { ChannelType } from '../../src/channels/contract.js';
import { testChannel } from '../../src/channels/test/test-channel.js';
import type { ChargeObject } from '../../src/engine/api-types.js';
import { chargeBody, client } from './helpers.js';

/** A channel whose createPayment waits until the test opens the gate (or fails when told). */
function gatedChannel() {
  let open: () => void = () => undefined;
  let entered: () => void = () => undefined;
  const state = { gate: Promise.resolve(), entered: Promise.resolve(), explode: false };
  const type: ChannelType = {
    type: 'gated', title: { en: 'Gated', zh: '闸门' }, codes: ['gated'], testOnly: true, options: [],
    async createPayment() {
      entered();
      await state.gate;
      if (state.explode) throw new Error('provider exploded');
      return { ok: true, credential: { pay_url: 'http://127.0.0.1/never' } };
    },
  };
  return {
    type,
    state,
    arm() {
      state.gate = new Promise<void>((resolve) => { open = resolve; });
      state.entered = new Promise<void>((resolve) => { entered = resolve; });
    },
    release: () => open(),
  };
}

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`Idempotency-Key (${dialect.name})`, () => {
    let s: TestServer;
    let call: ReturnType<typeof client>;
    const gated = gatedChannel();

    beforeAll(async () => {
      s = await startTestServer({ dialect, paygateOptions: { channelTypes: [testChannel, gated.type] } });
      await s.paygate.channels.create(s.app.id, { type: 'gated', livemode: false, options: {} });
      call = client(s);
    });
    afterAll(() => s?.close());

    const count = async () => (await call<{ data: ChargeObject[] }>('GET', '/v1/charges?limit=100')).body.data.length;

    it('replays the first answer for the same key and parameters, without creating twice', async () => {
      const before = await count();
      const body = chargeBody();
      const headers = { 'idempotency-key': 'create-1' };
      const first = await call<ChargeObject>('POST', '/v1/charges', body, { headers });
      const second = await call<ChargeObject>('POST', '/v1/charges', { ...body }, { headers });
      expect(first.status).toBe(200);
      expect(second.status).toBe(200);
      expect(second.text).toBe(first.text);
      expect(second.headers['idempotent-replayed']).toBe('true');
      expect(first.headers['idempotent-replayed']).toBeUndefined();
      expect(await count()).toBe(before + 1);
    });

    it('treats the same parameters in another key order, or as a form, as the same request', async () => {
      const body = chargeBody({ amount: 321 });
      const headers = { 'idempotency-key': 'create-order' };
      const first = await call('POST', '/v1/charges', body, { headers });
      const reordered = Object.fromEntries(Object.entries(body).reverse());
      const again = await call('POST', '/v1/charges', reordered, { headers });
      expect(again.text).toBe(first.text);
      const asForm = await call('POST', '/v1/charges', new URLSearchParams(body as Record<string, string>).toString(), { headers, form: true });
      expect(asForm.text).toBe(first.text);
    });

    it('refuses the same key with other parameters (422) or on another route', async () => {
      const headers = { 'idempotency-key': 'create-2' };
      await call('POST', '/v1/charges', chargeBody({ amount: 100 }), { headers });
      const other = await call('POST', '/v1/charges', chargeBody({ amount: 200 }), { headers });
      expect(other.status).toBe(422);
      expect(other.body.error).toMatchObject({ type: 'idempotency_error', code: 'idempotency_key_reused' });
      const { body: charge } = await call<ChargeObject>('POST', '/v1/charges', chargeBody());
      const elsewhere = await call('POST', `/v1/charges/${charge.id}/reverse`, {}, { headers });
      expect(elsewhere.status).toBe(422);
    });

    it('replays errors too: a refused refund stays refused under its key', async () => {
      const { body: charge } = await call<ChargeObject>('POST', '/v1/charges', chargeBody());
      const headers = { 'idempotency-key': 'refund-early' };
      const first = await call('POST', `/v1/charges/${charge.id}/refunds`, { amount: 1 }, { headers });
      expect(first.status).toBe(409);
      await call('POST', `/v1/charges/${charge.id}/simulate`, { outcome: 'paid' });
      const replay = await call('POST', `/v1/charges/${charge.id}/refunds`, { amount: 1 }, { headers });
      expect(replay.status).toBe(409);
      expect(replay.text).toBe(first.text);
      const fresh = await call('POST', `/v1/charges/${charge.id}/refunds`, { amount: 1 }, { headers: { 'idempotency-key': 'refund-late' } });
      expect(fresh.status).toBe(200);
    });

    it('answers a concurrent duplicate with 409 while the first is in flight, then replays it', async () => {
      gated.arm();
      const body = chargeBody({ channel: 'gated' });
      const headers = { 'idempotency-key': 'slow-1' };
      const firstPromise = call<ChargeObject>('POST', '/v1/charges', body, { headers });
      await gated.state.entered;
      const duplicate = await call('POST', '/v1/charges', body, { headers });
      expect(duplicate.status).toBe(409);
      expect(duplicate.body.error?.code).toBe('idempotency_key_in_flight');
      gated.release();
      const first = await firstPromise;
      expect(first.status).toBe(200);
      const replay = await call('POST', '/v1/charges', body, { headers });
      expect(replay.text).toBe(first.text);
    });

    it('releases the key after a 5xx so the client can retry', async () => {
      gated.arm();
      gated.state.explode = true;
      gated.release();
      const body = chargeBody({ channel: 'gated' });
      const headers = { 'idempotency-key': 'boom-1' };
      const failed = await call('POST', '/v1/charges', body, { headers });
      expect(failed.status).toBe(500);
      expect(failed.body.error).toEqual({ type: 'api_error', code: 'internal_error', message: expect.any(String) });
      expect(failed.text).not.toContain('provider exploded');
      gated.state.explode = false;
      const retried = await call<ChargeObject>('POST', '/v1/charges', body, { headers });
      expect(retried.status).toBe(200);
      expect(retried.body.status).toBe('pending');
    });

    it('keeps keys per app: another app may use the same key', async () => {
      const { app, keys } = await s.paygate.apps.create({ name: 'Neighbour' });
      await s.paygate.channels.create(app.id, { type: 'test', livemode: false, options: {} });
      const headers = { 'idempotency-key': 'create-1' };
      const res = await call<ChargeObject>('POST', '/v1/charges', chargeBody(), { headers, key: keys.test_secret_key });
      expect(res.status).toBe(200);
      expect(res.body.app).toBe(app.id);
    });

    it('refuses a malformed key', async () => {
      const res = await call('POST', '/v1/charges', chargeBody(), { headers: { 'idempotency-key': 'x'.repeat(256) } });
      expect(res.status).toBe(400);
      expect(res.body.error?.param).toBe('Idempotency-Key');
    });
  });
}
