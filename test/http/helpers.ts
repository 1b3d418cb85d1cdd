/**
 * Helpers of the HTTP tests: a client bound to a test server and a key, sending JSON or forms
 * through Fastify `inject` (or over the real port with `fetch`), and a valid charge body.
 */
import type { TestServer } from '../support/server.js';

export interface Answer<T = Record<string, unknown>> {
  readonly status: number;
  readonly headers: Record<string, string | string[] | number | undefined>;
  readonly body: T;
  readonly text: string;
}

export interface CallOptions {
  readonly key?: string | null;
  readonly form?: boolean;
  readonly headers?: Record<string, string>;
  /** Sent as is (no JSON encoding). */
  readonly raw?: string;
}

/** An answer's body when the test does not name its type: maybe an error, maybe anything. */
export type Json = { error?: { type: string; code: string; message: string; param?: string } } & Record<string, unknown>;

export function client(server: TestServer, defaultKey: string = server.keys.test_secret_key) {
  return async function call<T = Json>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown, options: CallOptions = {}): Promise<Answer<T>> {
    const key = options.key === undefined ? defaultKey : options.key;
    const headers: Record<string, string> = { ...(key ? { authorization: `Bearer ${key}` } : {}), ...options.headers };
    let payload: string | undefined = options.raw;
    if (payload === undefined && body !== undefined) {
      if (options.form) {
        headers['content-type'] = 'application/x-www-form-urlencoded';
        payload = typeof body === 'string' ? body : new URLSearchParams(body as Record<string, string>).toString();
      } else {
        headers['content-type'] = 'application/json';
        payload = JSON.stringify(body);
      }
    }
    const res = await server.server.inject({ method, url, headers, payload });
    let parsed: unknown = undefined;
    try {
      parsed = JSON.parse(res.body);
    } catch {
      parsed = undefined;
    }
    return { status: res.statusCode, headers: res.headers, body: parsed as T, text: res.body };
  };
}

let counter = 0;
/** A valid charge request for the test channel; override any field. */
export function chargeBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  counter += 1;
  return {
    order_no: `order${Date.now()}${counter}`,
    channel: 'test',
    amount: 1000,
    currency: 'cny',
    client_ip: '127.0.0.1',
    subject: 'Blue mug',
    body: 'One blue mug, 350 ml',
    ...overrides,
  };
}
