/**
 * `/v1/openapi.json` is a valid OpenAPI 3.1 document built from the route schemas: it lists
 * every public route (and no page or callback), every schema in it compiles as JSON Schema
 * 2020-12, and what the server really answers validates against what the document says.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { startTestServer, type TestServer } from '../support/server.js';
import type { ChargeObject } from '../../src/engine/api-types.js';
import { chargeBody, client } from './helpers.js';

interface Operation {
  summary?: string;
  parameters?: { name: string; in: string; required?: boolean; schema: object }[];
  requestBody?: { content: Record<string, { schema: object }> };
  responses: Record<string, { description?: string; content?: Record<string, { schema: object }> }>;
}
interface Document {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, Operation>>;
  components?: { securitySchemes?: Record<string, unknown> };
}

const EXPECTED: readonly string[] = [
  'post /v1/charges', 'get /v1/charges', 'get /v1/charges/{id}', 'post /v1/charges/{id}/reverse', 'post /v1/charges/{id}/ship',
  'post /v1/charges/{id}/confirm', 'post /v1/charges/{id}/simulate', 'post /v1/charges/{id}/refunds', 'get /v1/charges/{id}/refunds',
  'get /v1/charges/{id}/refunds/{re_id}', 'get /v1/events', 'get /v1/events/{id}', 'post /v1/channels', 'get /v1/channels',
  'get /v1/channels/{id}', 'patch /v1/channels/{id}', 'post /v1/channels/{id}', 'delete /v1/channels/{id}',
  'get /v1/channels/{id}/records', 'get /v1/apps/{id}', 'post /v1/apps/{id}/keys/roll',
  'post /capi/api/v1/charge', 'post /capi/api/v1/charge/{id}/fetch_pay_url',
];

describe('the OpenAPI document', () => {
  let s: TestServer;
  let doc: Document;
  const ajv = new Ajv2020({ strict: false, allErrors: true });

  beforeAll(async () => {
    s = await startTestServer();
    const res = await s.server.inject({ method: 'GET', url: '/v1/openapi.json' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('application/json');
    doc = JSON.parse(res.body) as Document;
  });
  afterAll(() => s?.close());

  const operations = () => Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ key: `${method} ${path}`, path, op })));
  const responseSchema = (key: string, status = '200') => {
    const found = operations().find((o) => o.key === key);
    if (!found) throw new Error(`no operation ${key}`);
    return found.op.responses[status]!.content!['application/json']!.schema;
  };

  it('is an OpenAPI 3.1 document with info and security schemes', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info.title).toBe('paygate API');
    expect(Object.keys(doc.components?.securitySchemes ?? {})).toEqual(['bearerKey', 'basicKey']);
  });

  it('lists every public route, and nothing that is not API', () => {
    const keys = operations().map((o) => o.key);
    for (const expected of EXPECTED) expect(keys).toContain(expected);
    for (const key of keys) expect(key).toMatch(/^(get|post|patch|put|delete) \/(v1|capi)\//);
    expect(keys).not.toContain('get /v1/openapi.json');
  });

  it('declares every path parameter, a summary and documented answers on every core operation', () => {
    // Routes other areas add under /v1 are listed too; this holds the core API to the bar.
    for (const { key, path, op } of operations().filter((o) => EXPECTED.includes(o.key))) {
      expect(op.summary, key).toBeTruthy();
      for (const name of path.match(/\{(\w+)\}/g) ?? []) {
        expect(op.parameters?.some((p) => p.in === 'path' && p.name === name.slice(1, -1) && p.required), `${key} ${name}`).toBe(true);
      }
      const ok = op.responses['200'];
      expect(ok?.content?.['application/json']?.schema, key).toBeTruthy();
      expect(op.responses['4XX']?.content?.['application/json']?.schema, key).toBeTruthy();
    }
  });

  it('holds only schemas that compile as JSON Schema 2020-12', () => {
    let compiled = 0;
    for (const { key, op } of operations()) {
      const schemas = [
        ...(op.parameters ?? []).map((p) => p.schema),
        ...Object.values(op.requestBody?.content ?? {}).map((c) => c.schema),
        ...Object.values(op.responses).flatMap((r) => Object.values(r.content ?? {}).map((c) => c.schema)),
      ];
      for (const schema of schemas) {
        expect(() => ajv.compile(schema), key).not.toThrow();
        compiled += 1;
      }
    }
    expect(compiled).toBeGreaterThan(60);
  });

  it('describes what the server really answers', async () => {
    const call = client(s);
    const created = await call<ChargeObject>('POST', '/v1/charges', chargeBody({ metadata: { a: 'b' } }));
    const check = (key: string, body: unknown, status = '200') => {
      const validate = ajv.compile(responseSchema(key, status));
      expect(validate(body), `${key}: ${JSON.stringify(validate.errors)}`).toBe(true);
    };
    check('post /v1/charges', created.body);
    await call('POST', `/v1/charges/${created.body.id}/simulate`, { outcome: 'paid' });
    const refund = await call('POST', `/v1/charges/${created.body.id}/refunds`, { amount: 10 });
    check('post /v1/charges/{id}/refunds', refund.body);
    check('get /v1/charges/{id}', (await call('GET', `/v1/charges/${created.body.id}`)).body);
    check('get /v1/charges', (await call('GET', '/v1/charges')).body);
    check('get /v1/events', (await call('GET', '/v1/events?limit=50')).body);
    check('get /v1/channels', (await call('GET', '/v1/channels')).body);
    check('get /v1/apps/{id}', (await call('GET', `/v1/apps/${s.app.id}`)).body);
    check('get /v1/channels/{id}/records', (await call('GET', `/v1/channels/${s.testChannel.id}/records`)).body);
    check('post /capi/api/v1/charge', (await call('POST', '/capi/api/v1/charge', { subject: 's', amount: 5, channel: 'TEST' })).body);
    check('post /v1/charges', (await call('POST', '/v1/charges', chargeBody({ amount: -1 }))).body, '4XX');
  });
});
