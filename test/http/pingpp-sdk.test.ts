/**
 * The official `pingpp` Node SDK, pointed at paygate with `setHost`, creates, retrieves, lists
 * (with `app[id]` in the query string) and refunds charges, and reads paygate's errors as its
 * own error classes. It sends HTTP Basic auth and JSON bodies over a real port.
 */
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { startTestServer, type TestServer } from '../support/server.js';
import type { ChargeObject, ListObject, RefundObject } from '../../src/engine/api-types.js';
import { chargeBody } from './helpers.js';

/** The slice of the SDK this test uses (it ships no types). */
interface PingppClient {
  setHost(host: string, port: number, protocol: string): void;
  charges: {
    create(params: Record<string, unknown>): Promise<ChargeObject>;
    retrieve(id: string): Promise<ChargeObject>;
    list(params: Record<string, unknown>): Promise<ListObject<ChargeObject>>;
    reverse(id: string): Promise<ChargeObject>;
    createRefund(id: string, params: Record<string, unknown>): Promise<RefundObject>;
    listRefunds(id: string, params?: Record<string, unknown>): Promise<ListObject<RefundObject>>;
    retrieveRefund(id: string, refundId: string): Promise<RefundObject>;
  };
}
interface PingppError extends Error { type?: string; rawType?: string; code?: string; param?: string }

const require = createRequire(import.meta.url);
const pingppFactory = require('pingpp') as (key: string) => PingppClient;

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`the pingpp Node SDK against paygate (${dialect.name})`, () => {
    let s: TestServer;
    let sdk: PingppClient;

    beforeAll(async () => {
      s = await startTestServer({ dialect });
      sdk = pingppFactory(s.keys.test_secret_key);
      sdk.setHost('127.0.0.1', Number(new URL(s.url).port), 'http');
    });
    afterAll(() => s?.close());

    it('creates, retrieves, lists, pays and refunds a charge', async () => {
      const created = await sdk.charges.create(chargeBody({ app: { id: s.app.id }, amount: 888, extra: {}, metadata: { orderNumber: 'SDK-1' } }));
      expect(created).toMatchObject({ object: 'charge', status: 'pending', amount: 888, app: s.app.id, metadata: { orderNumber: 'SDK-1' } });

      const retrieved = await sdk.charges.retrieve(created.id);
      expect(retrieved.id).toBe(created.id);

      const list = await sdk.charges.list({ app: { id: s.app.id }, limit: 5 });
      expect(list.object).toBe('list');
      expect(list.data.map((c) => c.id)).toContain(created.id);

      await fetch((created.credential.test as { pay_url: string }).pay_url);
      expect((await sdk.charges.retrieve(created.id)).status).toBe('succeeded');

      const partial = await sdk.charges.createRefund(created.id, { amount: 88, description: 'SDK partial' });
      expect(partial).toMatchObject({ object: 'refund', amount: 88, status: 'succeeded', succeed: true });
      const rest = await sdk.charges.createRefund(created.id, { description: 'SDK rest' });
      expect(rest.amount).toBe(800);
      const refunds = await sdk.charges.listRefunds(created.id, { limit: 10 });
      expect(refunds.data.map((r) => r.id)).toEqual([rest.id, partial.id]);
      expect((await sdk.charges.retrieveRefund(created.id, partial.id)).description).toBe('SDK partial');
      expect((await sdk.charges.retrieve(created.id)).amount_refunded).toBe(888);
    });

    it('reverses a charge', async () => {
      const created = await sdk.charges.create(chargeBody({ app: { id: s.app.id } }));
      expect((await sdk.charges.reverse(created.id)).status).toBe('closed');
    });

    it('surfaces paygate errors as the SDK\'s error classes, with code and param', async () => {
      const refused = await sdk.charges.create(chargeBody({ app: { id: s.app.id }, amount: -1 })).then(() => undefined, (e: PingppError) => e);
      expect(refused?.rawType).toBe('invalid_request_error');
      expect(refused?.param).toBe('amount');
      const wrongKey = pingppFactory('sk_test_' + 'Z'.repeat(32));
      wrongKey.setHost('127.0.0.1', Number(new URL(s.url).port), 'http');
      const unauthorised = await wrongKey.charges.retrieve('ch_x').then(() => undefined, (e: PingppError) => e);
      expect(unauthorised?.type).toBe('PingppAuthenticationError');
      expect(unauthorised?.code).toBe('api_key_invalid');
    });
  });
}
