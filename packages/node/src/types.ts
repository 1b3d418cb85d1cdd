/** The objects of paygate's API (PRODUCT.md §3, Ping++-shaped). Amounts are integer minor units (fen); times unix seconds. */

export type ChargeStatus = 'created' | 'pending' | 'secured_paid' | 'shipped' | 'succeeded' | 'closed';

export interface List<T> {
  object: 'list';
  url: string;
  has_more: boolean;
  data: T[];
}

export interface Refund {
  id: string;
  object: 'refund';
  order_no: string;
  amount: number;
  created: number;
  succeed: boolean;
  status: 'pending' | 'succeeded' | 'failed';
  time_succeed: number | null;
  description: string;
  failure_code: string | null;
  failure_msg: string | null;
  metadata: Record<string, unknown>;
  charge: string;
  charge_order_no: string;
  transaction_no: string | null;
  livemode: boolean;
}

export interface Charge {
  id: string;
  object: 'charge';
  created: number;
  livemode: boolean;
  paid: boolean;
  refunded: boolean;
  reversed: boolean;
  app: string;
  channel: string;
  channel_id: string;
  order_no: string;
  client_ip: string;
  amount: number;
  amount_settle: number;
  currency: string;
  subject: string;
  body: string;
  extra: Record<string, unknown>;
  time_paid: number | null;
  time_expire: number;
  time_settle: number | null;
  transaction_no: string | null;
  refunds: List<Refund>;
  amount_refunded: number;
  failure_code: string | null;
  failure_msg: string | null;
  metadata: Record<string, unknown>;
  credential: { object: 'credential' } & Record<string, unknown>;
  description: string | null;
  status: ChargeStatus;
  type: string;
  fee: number;
  escrow: boolean;
  notify_url: string | null;
  return_url: string | null;
  /** Only in the creation answer: lets a browser read and watch this one charge. */
  client_secret?: string;
}

export interface ChargeCreateParams {
  order_no: string;
  app?: { id: string };
  channel: string;
  amount: number;
  currency?: string;
  client_ip: string;
  subject: string;
  body: string;
  description?: string;
  extra?: Record<string, unknown>;
  metadata?: Record<string, unknown>;
  time_expire?: number;
  type?: string;
  notify_url?: string;
  return_url?: string;
}

export type EventType =
  | 'charge.created' | 'charge.pending' | 'charge.secured_paid' | 'charge.shipped' | 'charge.succeeded' | 'charge.closed'
  | 'refund.succeeded' | 'refund.failed' | 'channel.enabled';

export interface PaygateEvent<T = Record<string, unknown>> {
  id: string;
  object: 'event';
  type: EventType | string;
  created: number;
  livemode: boolean;
  app: string;
  data: { object: T };
}

export type WebhookFormat = 'event' | 'capi' | 'scrm';

export interface WebhookEndpoint {
  id: string;
  object: 'webhook_endpoint';
  app: string;
  livemode: boolean;
  url: string;
  events: string[];
  channel: string | null;
  format: WebhookFormat;
  require_success_body: boolean;
  enabled: boolean;
  description: string | null;
  secret_hint: string;
  previous_secret_expires: number | null;
  created: number;
  updated: number;
  /** Only when created or rolled: keep it, it is not shown again. */
  secret?: string;
}

export interface WebhookEndpointParams {
  url?: string;
  events?: string[];
  channel?: string | null;
  format?: WebhookFormat;
  require_success_body?: boolean;
  enabled?: boolean;
  description?: string | null;
}

export interface WebhookAttempt {
  attempt: number;
  started: number;
  duration_ms: number;
  http_status: number | null;
  succeeded: boolean;
  response_excerpt: string | null;
  error: string | null;
  dispatcher: string;
}

export interface WebhookDelivery {
  id: string;
  object: 'webhook_delivery';
  event: string;
  event_type: string;
  webhook_endpoint: string | null;
  target: 'webhook_endpoint' | 'notify_url';
  url: string;
  format: string;
  status: 'pending' | 'succeeded' | 'failed';
  attempts_count: number;
  next_attempt: number | null;
  last_http_status: number | null;
  last_error: string | null;
  created: number;
  completed: number | null;
  attempts: WebhookAttempt[];
}

export interface WebhookTestResult {
  object: 'webhook_test';
  succeeded: boolean;
  http_status: number | null;
  duration_ms: number;
  response_excerpt: string | null;
  error: string | null;
}

export interface ListParams {
  limit?: number;
  starting_after?: string;
  ending_before?: string;
}
