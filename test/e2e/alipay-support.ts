/**
 * An end-to-end rig for the Alipay channel: a real paygate server (one dialect), an Alipay
 * test channel created through the HTTP API with freshly generated merchant keys (Open
 * Platform and legacy mapi), talking to paygate's embedded sandbox.
 */
import { randomBytes } from 'node:crypto';
import { startTestServer, type TestServer } from '../support/server.js';
import type { TestDialect } from '../support/dialects.js';
import { generateRsaKeyPair } from '../../src/channels/alipay/keys.js';
import { databaseStateStore } from '../../src/sandbox/state-store.js';
import { storedSandboxKeys, type SandboxKeys } from '../../src/sandbox/alipay/sandbox-keys.js';

export interface AlipayRig {
  readonly server: TestServer;
  readonly channelId: string;
  readonly appId: string;
  readonly partner: string;
  readonly md5Key: string;
  readonly privateKeyPem: string;
  api<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
  charge(channel: string, amount: number, extra?: Record<string, unknown>): Promise<Charge>;
  eventTypes(chargeId: string): Promise<string[]>;
  sandboxKeys(): Promise<SandboxKeys>;
  close(): Promise<void>;
}

export interface Charge {
  id: string;
  status: string;
  amount: number;
  amount_refunded: number;
  transaction_no: string | null;
  credential: Record<string, Record<string, unknown>>;
  [key: string]: unknown;
}

let orderSeq = 0;

export async function alipayRig(dialect: TestDialect): Promise<AlipayRig> {
  const server = await startTestServer({ dialect });
  const pair = generateRsaKeyPair();
  const appId = `9021${String(Date.now()).slice(-12)}`;
  const partner = `2088${String(Date.now()).slice(-12)}`;
  const md5Key = randomBytes(16).toString('hex');

  async function api<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${server.keys.test_secret_key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : {}) as T };
  }

  const created = await api<{ id: string }>('POST', '/v1/channels', {
    type: 'alipay', name: 'Alipay (sandbox)', livemode: false,
    options: { app_id: appId, private_key: pair.privateKeyPem, partner, key: md5Key, seller_email: 'seller@sandbox.paygate' },
  });
  if (created.status !== 200) throw new Error(`could not create the Alipay channel: ${JSON.stringify(created.body)}`);
  // The rig's Alipay channel is the one charges use: the test server's app also has a test channel of another type.
  const store = databaseStateStore(server.database.db, 'alipay');

  return {
    server, channelId: created.body.id, appId, partner, md5Key, privateKeyPem: pair.privateKeyPem, api,
    async charge(channel, amount, extra = {}) {
      const result = await api<Charge>('POST', '/v1/charges', {
        order_no: `order_${Date.now()}_${orderSeq++}`, channel, amount, currency: 'cny', client_ip: '127.0.0.1',
        subject: 'E2E 测试商品', body: 'paygate end to end', extra,
      });
      if (result.status !== 200) throw new Error(`charge creation failed: ${JSON.stringify(result.body)}`);
      return result.body;
    },
    async eventTypes(chargeId) {
      const result = await api<{ data: Array<{ type: string }> }>('GET', `/v1/events?charge=${chargeId}&limit=100`);
      return result.body.data.map((e) => e.type).reverse();
    },
    sandboxKeys: () => storedSandboxKeys(store),
    close: () => server.close(),
  };
}

/** GET without following redirects; returns status and Location. */
export async function open(url: string, headers: Record<string, string> = {}): Promise<{ status: number; location: string | null; text: string }> {
  const response = await fetch(url, { redirect: 'manual', headers });
  return { status: response.status, location: response.headers.get('location'), text: await response.text() };
}
