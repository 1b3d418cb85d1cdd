import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { startTestServer, type TestServer } from '../support/server.js';

describe('cross-origin calls from the browser SDK', () => {
  let server: TestServer;
  beforeAll(async () => { server = await startTestServer({ dialect: DIALECTS[0] }); });
  afterAll(async () => { await server?.close(); });

  it('a publishable key reads one charge from another origin, after a preflight', async () => {
    const created = await fetch(`${server.url}/v1/charges`, {
      method: 'POST', headers: { authorization: `Bearer ${server.keys.test_secret_key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ order_no: `cors-${Date.now()}`, channel: 'test', amount: 100, currency: 'cny', client_ip: '127.0.0.1', subject: 's', body: 'b' }),
    }).then((r) => r.json() as Promise<{ id: string }>);
    const preflight = await fetch(`${server.url}/v1/charges/${created.id}`, { method: 'OPTIONS', headers: { origin: 'https://shop.example', 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('authorization');
    const read = await fetch(`${server.url}/v1/charges/${created.id}`, { headers: { origin: 'https://shop.example', authorization: `Bearer ${server.keys.test_publishable_key}` } });
    expect(read.status).toBe(200);
    expect(read.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('secret-key-only routes do not answer cross-origin', async () => {
    const list = await fetch(`${server.url}/v1/charges`, { headers: { origin: 'https://shop.example', authorization: `Bearer ${server.keys.test_secret_key}` } });
    expect(list.headers.get('access-control-allow-origin')).toBeNull();
  });
});
