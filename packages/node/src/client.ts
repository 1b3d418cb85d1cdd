/**
 * A typed client of paygate's HTTP API. Authenticates with the app's secret key (Bearer), sends
 * JSON, turns error answers into `PaygateApiError` (code, param, a message that says what to
 * fix). Every POST may carry an `idempotencyKey` so a retry after a timeout cannot act twice.
 */
import { PaygateApiError, PaygateConnectionError } from './errors.js';
import type {
  Charge, ChargeCreateParams, List, ListParams, PaygateEvent, Refund, WebhookDelivery, WebhookEndpoint, WebhookEndpointParams, WebhookTestResult,
} from './types.js';

export interface ClientOptions {
  /** paygate's base URL; default http://127.0.0.1:8080. */
  readonly baseUrl?: string;
  /** Per-request deadline, ms; default 30 s. */
  readonly timeoutMs?: number;
  /** A fetch implementation (default: the global one). */
  readonly fetch?: typeof fetch;
}

export interface RequestOptions {
  readonly idempotencyKey?: string;
}

type Query = Record<string, string | number | boolean | undefined>;

export class Paygate {
  readonly baseUrl: string;
  readonly charges;
  readonly events;
  readonly webhookEndpoints;
  private readonly timeoutMs: number;
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly apiKey: string, options: ClientOptions = {}) {
    if (typeof apiKey !== 'string' || !/^sk_(test|live)_/.test(apiKey)) {
      throw new TypeError('new Paygate(key) needs the app\'s secret key (sk_test_… or sk_live_…); publishable keys (pk_…) belong in browsers.');
    }
    this.baseUrl = (options.baseUrl ?? 'http://127.0.0.1:8080').replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.fetchImpl = options.fetch ?? fetch;
    const id = (value: string) => encodeURIComponent(value);
    this.charges = {
      create: (params: ChargeCreateParams, options?: RequestOptions) => this.request<Charge>('POST', '/v1/charges', params, options),
      retrieve: (chargeId: string) => this.request<Charge>('GET', `/v1/charges/${id(chargeId)}`),
      list: (params: ListParams & { app?: string; status?: string } = {}) => this.request<List<Charge>>('GET', '/v1/charges', undefined, undefined, { ...params, app: undefined, 'app[id]': params.app }),
      reverse: (chargeId: string, options?: RequestOptions) => this.request<Charge>('POST', `/v1/charges/${id(chargeId)}/reverse`, {}, options),
      simulate: (chargeId: string, outcome: 'paid' | 'secured_paid' | 'failed' | 'confirm', options?: RequestOptions) => this.request<Charge>('POST', `/v1/charges/${id(chargeId)}/simulate`, { outcome }, options),
      ship: (chargeId: string, params: { logistics_name: string; invoice_no: string; transport_type: string }, options?: RequestOptions) => this.request<Charge>('POST', `/v1/charges/${id(chargeId)}/ship`, params, options),
      confirm: (chargeId: string, options?: RequestOptions) => this.request<Charge>('POST', `/v1/charges/${id(chargeId)}/confirm`, {}, options),
      createRefund: (chargeId: string, params: { amount?: number; description?: string } = {}, options?: RequestOptions) => this.request<Refund>('POST', `/v1/charges/${id(chargeId)}/refunds`, params, options),
      listRefunds: (chargeId: string) => this.request<List<Refund>>('GET', `/v1/charges/${id(chargeId)}/refunds`),
    };
    this.events = {
      retrieve: (eventId: string) => this.request<PaygateEvent>('GET', `/v1/events/${id(eventId)}`),
      list: (params: ListParams & { type?: string } = {}) => this.request<List<PaygateEvent>>('GET', '/v1/events', undefined, undefined, { ...params }),
      deliveries: (eventId: string) => this.request<List<WebhookDelivery>>('GET', `/v1/events/${id(eventId)}/deliveries`),
      resend: (eventId: string, params: { webhook_endpoint?: string } = {}, options?: RequestOptions) => this.request<List<WebhookDelivery>>('POST', `/v1/events/${id(eventId)}/resend`, params, options),
    };
    this.webhookEndpoints = {
      create: (params: WebhookEndpointParams & { url: string }, options?: RequestOptions) => this.request<WebhookEndpoint>('POST', '/v1/webhook_endpoints', params, options),
      retrieve: (endpointId: string) => this.request<WebhookEndpoint>('GET', `/v1/webhook_endpoints/${id(endpointId)}`),
      list: () => this.request<List<WebhookEndpoint>>('GET', '/v1/webhook_endpoints'),
      update: (endpointId: string, params: WebhookEndpointParams, options?: RequestOptions) => this.request<WebhookEndpoint>('POST', `/v1/webhook_endpoints/${id(endpointId)}`, params, options),
      del: (endpointId: string) => this.request<{ id: string; deleted: true }>('DELETE', `/v1/webhook_endpoints/${id(endpointId)}`),
      rollSecret: (endpointId: string, params: { expires_in?: number } = {}, options?: RequestOptions) => this.request<WebhookEndpoint>('POST', `/v1/webhook_endpoints/${id(endpointId)}/roll_secret`, params, options),
      test: (endpointId: string, params: { type?: string } = {}) => this.request<WebhookTestResult>('POST', `/v1/webhook_endpoints/${id(endpointId)}/test`, params),
    };
  }

  /** Any API call; the resource methods above are thin wrappers of this. */
  async request<T>(method: 'GET' | 'POST' | 'DELETE' | 'PATCH', path: string, body?: unknown, options: RequestOptions = {}, query: Query = {}): Promise<T> {
    const url = new URL(this.baseUrl + path);
    for (const [key, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(key, String(value));
    const headers: Record<string, string> = { authorization: `Bearer ${this.apiKey}`, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
    let response: Response;
    try {
      response = await this.fetchImpl(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (cause) {
      throw new PaygateConnectionError(`Could not reach paygate at ${this.baseUrl} (${cause instanceof Error ? cause.message : String(cause)}); check baseUrl and that paygate is running.`, { cause });
    }
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      throw new PaygateConnectionError(`${method} ${path} answered HTTP ${response.status} with a body that is not JSON; is ${this.baseUrl} a paygate server?`);
    }
    if (!response.ok) {
      const error = (parsed as { error?: Record<string, string> } | undefined)?.error ?? {};
      throw new PaygateApiError(response.status, error, response.headers.get('request-id') ?? undefined);
    }
    return parsed as T;
  }
}
