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

export interface MetaTable {
  key: string;
  value: string;
}

export interface Schema {
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
}
