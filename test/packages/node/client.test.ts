import { describe, expect, it } from 'vitest';
import { Paygate, PaygateApiError, PaygateConnectionError } from '../../../packages/node/src/index.js';

describe('packages/node client', () => {
  it('refuses a key that does not belong on a server', () => {
    expect(() => new Paygate('pk_test_abc')).toThrow(/secret key \(sk_test_… or sk_live_…\)/);
  });

  it('sends the key, JSON and the idempotency key, and turns error answers into PaygateApiError', async () => {
    const calls: Array<{ url: string; init: RequestInit }> = [];
    const fake = (async (url: URL | string, init: RequestInit) => {
      calls.push({ url: String(url), init });
      if (String(url).endsWith('/v1/charges/ch_missing')) {
        return new Response(JSON.stringify({ error: { type: 'invalid_request_error', code: 'resource_not_found', message: 'No such charge: ch_missing', param: 'id' } }), { status: 404 });
      }
      return new Response(JSON.stringify({ id: 'we_1', object: 'webhook_endpoint' }), { status: 200 });
    }) as typeof fetch;
    const client = new Paygate('sk_test_0123456789', { baseUrl: 'https://pay.example.com/', fetch: fake });
    await client.webhookEndpoints.create({ url: 'https://shop.example.com/hooks' }, { idempotencyKey: 'k-1' });
    const headers = calls[0]!.init.headers as Record<string, string>;
    expect(calls[0]!.url).toBe('https://pay.example.com/v1/webhook_endpoints');
    expect(headers).toMatchObject({ authorization: 'Bearer sk_test_0123456789', 'content-type': 'application/json', 'idempotency-key': 'k-1' });
    expect(JSON.parse(String(calls[0]!.init.body))).toEqual({ url: 'https://shop.example.com/hooks' });
    const error = await client.charges.retrieve('ch_missing').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaygateApiError);
    expect(error).toMatchObject({ statusCode: 404, code: 'resource_not_found', param: 'id', message: 'No such charge: ch_missing' });
    await client.charges.list({ app: 'app_1', limit: 5 });
    expect(calls[2]!.url).toBe('https://pay.example.com/v1/charges?limit=5&app%5Bid%5D=app_1');
  });

  it('says where it could not connect', async () => {
    const client = new Paygate('sk_test_0123456789', { baseUrl: 'http://127.0.0.1:9' });
    await expect(client.events.list()).rejects.toBeInstanceOf(PaygateConnectionError);
    await expect(client.events.list()).rejects.toThrow(/Could not reach paygate at http:\/\/127\.0\.0\.1:9/);
  });
});
