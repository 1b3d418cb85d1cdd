/**
 * Row types of paygate's tables, as Kysely sees them. Times are unix milliseconds (integers);
 * JSON columns are text in both dialects; booleans are 0/1 integers so one schema serves
 * SQLite and PostgreSQL alike.
 */
import type { Generated } from 'kysely';

export type Json = string;
export type Flag = 0 | 1;

export interface AppsTable {
  id: string;
  name: string;
  requires_payment: Flag;
  /** JSON array of hosts an app's redirects may go to (pay-OAuth, return URLs). */
  allowed_redirect_hosts: Json;
  created_at: number;
  updated_at: number;
}

export interface ApiKeysTable {
  /** sha256 hex of the key: keys are shown once and stored hashed. */
  key_hash: string;
  app_id: string;
  kind: 'secret' | 'publishable';
  livemode: Flag;
  /** `sk_test_…abcd`, for display. */
  hint: string;
  created_at: number;
  revoked_at: number | null;
}

export interface ChannelsTable {
  id: string;
  app_id: string;
  type: string;
  name: string;
  livemode: Flag;
  enabled: Flag;
  /** Non-secret options, JSON. */
  options: Json;
  /** Secret options, JSON encrypted with the master key (secret-box format). */
  secret_options: string;
  fee_percent_bp: number;
  fee_fixed: number;
  /** JSON array of accepted transaction types, or null for all. */
  transaction_types: Json | null;
  delegate_channel_id: string | null;
  created_at: number;
  updated_at: number;
  deleted_at: number | null;
}

export interface ChargesTable {
  id: string;
  app_id: string;
  /** The configured channel shown for this charge (B when paid on behalf by A). */
  channel_id: string;
  /** The configured channel that collects the money (A when paying on behalf of B). */
  paying_channel_id: string;
  livemode: Flag;
  order_no: string;
  /** Channel code (`alipay_qr`, `test` …). */
  channel: string;
  type: string;
  amount: number;
  currency: string;
  amount_refunded: number;
  fee: number;
  amount_settle: number;
  status: string;
  escrow: Flag;
  client_ip: string;
  subject: string;
  body: string;
  description: string | null;
  extra: Json;
  metadata: Json;
  credential: Json | null;
  /** Channel-side facts kept for webhooks: prepay_id, code_url, buyer id … */
  extension: Json;
  transaction_no: string | null;
  failure_code: string | null;
  failure_msg: string | null;
  closed_reason: string | null;
  shipment: Json | null;
  notify_url: string | null;
  return_url: string | null;
  client_secret: string;
  time_expire: number;
  time_paid: number | null;
  time_shipped: number | null;
  time_succeeded: number | null;
  time_closed: number | null;
  created_at: number;
  updated_at: number;
}

export interface RefundsTable {
  id: string;
  app_id: string;
  charge_id: string;
  livemode: Flag;
  seq: number;
  amount: number;
  currency: string;
  status: string;
  description: string;
  metadata: Json;
  transaction_no: string | null;
  failure_code: string | null;
  failure_msg: string | null;
  created_at: number;
  time_succeeded: number | null;
  updated_at: number;
}

export interface ChargeLogsTable {
  seq: Generated<number>;
  /** Null for an orphan line (a notify for no known charge). */
  charge_id: string | null;
  app_id: string | null;
  channel_id: string | null;
  at: number;
  kind: 'transition' | 'request' | 'response' | 'notify' | 'error' | 'note' | 'handler';
  message: string;
  /** JSON, secrets masked before it gets here. */
  data: Json | null;
}

/** The transactional outbox: written in the same transaction as the change it records. */
export interface EventsTable {
  seq: Generated<number>;
  id: string;
  app_id: string;
  livemode: Flag;
  type: string;
  charge_id: string | null;
  channel_id: string | null;
  /** JSON of the object as it was at the change. */
  data: Json;
  created_at: number;
}

export interface IdempotencyKeysTable {
  app_id: string;
  livemode: Flag;
  key: string;
  /** sha256 of method, path and the parsed body. */
  request_hash: string;
  status: 'in_flight' | 'done';
  response_status: number | null;
  response_body: string | null;
  created_at: number;
}

export interface SandboxStateTable {
  provider: string;
  key: string;
  data: Json;
  updated_at: number;
}

/** Console operators (migration 005). `password_hash` is `scrypt$N$r$p$salt$hash`. */
export interface AdminUsersTable {
  id: string;
  username: string;
  password_hash: string;
  created_at: number;
  updated_at: number;
  last_login_at: number | null;
}

/** Console sessions; the cookie holds a token whose sha256 is `token_hash`. */
export interface AdminSessionsTable {
  token_hash: string;
  user_id: string;
  csrf_token: string;
  created_at: number;
  last_seen_at: number;
  /** Absolute end of the session, whatever the activity. */
  expires_at: number;
  ip: string;
  user_agent: string;
}

/** Failed console logins per `user:<name>` and `ip:<address>`, for throttling. */
export interface AdminLoginAttemptsTable {
  key: string;
  failures: number;
  first_failure_at: number;
  locked_until: number | null;
}

export interface MetaTable {
  key: string;
  value: string;
}

/** An app's webhook endpoint (migration 002). Secrets are sealed with the master key. */
export interface WebhookEndpointsTable {
  id: string;
  app_id: string;
  livemode: Flag;
  url: string;
  description: string | null;
  /** JSON array of event types; `*` and `charge.*` patterns allowed. */
  events: Json;
  /** Only events of this channel: a channel id (`chn_…`) or a channel type (`wechat`). */
  channel: string | null;
  format: 'event' | 'capi' | 'scrm';
  require_success_body: Flag;
  enabled: Flag;
  secret: string;
  /** The secret before the last roll, still signed with until it expires (overlap). */
  previous_secret: string | null;
  previous_secret_expires_at: number | null;
  created_at: number;
  updated_at: number;
  deleted_at: number | null;
}

/** Events not yet fanned out to deliveries; filled by a trigger on `events` (migration 002). */
export interface WebhookFanoutTable {
  event_seq: number;
  event_id: string;
  created_at: number;
}

/** One event to one destination: an endpoint, or the charge's own `notify_url`. */
export interface WebhookDeliveriesTable {
  id: string;
  event_id: string;
  event_seq: number;
  event_type: string;
  app_id: string;
  livemode: Flag;
  charge_id: string | null;
  /** The endpoint id (`we_…`) or `notify_url`; unique per event. */
  target: string;
  endpoint_id: string | null;
  url: string;
  format: 'event' | 'capi' | 'scrm';
  require_success_body: Flag;
  status: 'pending' | 'succeeded' | 'failed';
  attempt_count: number;
  /** Sends since the schedule (re)started; a resend starts a new round. */
  round_attempts: number;
  /** When pending: when it is due. */
  next_attempt_at: number | null;
  /** While claimed: when the claim's lease runs out (then anyone may claim it again). */
  lease_until: number | null;
  /** Set while a dispatcher holds the delivery. */
  lease_token: string | null;
  /** The lease a claim took over, when its holder had permitted a send and never recorded it (crashed). */
  stale_lease_token: string | null;
  /** The lease token, once its holder counted an attempt and may send (may have sent, after a crash). */
  permit_token: string | null;
  last_attempt_at: number | null;
  last_http_status: number | null;
  last_error: string | null;
  created_at: number;
  updated_at: number;
  completed_at: number | null;
}

/** The exact body every attempt of an event in a format sends. */
export interface WebhookPayloadsTable {
  event_id: string;
  format: 'event' | 'capi' | 'scrm';
  body: string;
}

/** One send of a delivery. */
export interface WebhookAttemptsTable {
  seq: Generated<number>;
  delivery_id: string;
  event_id: string;
  attempt_no: number;
  url: string;
  started_at: number;
  duration_ms: number;
  http_status: number | null;
  response_excerpt: string | null;
  error: string | null;
  succeeded: Flag;
  /** Which dispatcher sent it (host:pid:random). */
  dispatcher: string;
}

export interface Schema {
  webhook_endpoints: WebhookEndpointsTable;
  webhook_fanout: WebhookFanoutTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_payloads: WebhookPayloadsTable;
  webhook_attempts: WebhookAttemptsTable;
  apps: AppsTable;
  api_keys: ApiKeysTable;
  channels: ChannelsTable;
  charges: ChargesTable;
  refunds: RefundsTable;
  charge_logs: ChargeLogsTable;
  events: EventsTable;
  idempotency_keys: IdempotencyKeysTable;
  meta: MetaTable;
  sandbox_state: SandboxStateTable;
  admin_users: AdminUsersTable;
  admin_sessions: AdminSessionsTable;
  admin_login_attempts: AdminLoginAttemptsTable;
}
