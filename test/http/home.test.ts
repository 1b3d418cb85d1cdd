/** The root address: the demo while it is on, the admin console when PAYGATE_DEMO=0. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';

describe('GET /', () => {
  let s: TestServer;
  beforeAll(async () => { s = await startTestServer(); });
  afterAll(() => s?.close());
  afterEach(() => { delete process.env.PAYGATE_DEMO; });

  it('sends a browser to the demo shop', async () => {
    const res = await s.server.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/demo');
  });

  it('sends it to the admin console when the demo is off', async () => {
    process.env.PAYGATE_DEMO = '0';
    const res = await s.server.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/admin/');
    expect((await s.server.inject({ method: 'GET', url: '/demo' })).statusCode).toBe(404);
  });

  it('is not part of the API description', async () => {
    const doc = (await s.server.inject({ method: 'GET', url: '/v1/openapi.json' })).json() as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).not.toContain('/');
  });
});
