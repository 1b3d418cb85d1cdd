/**
 * The objects paygate returns on its API, in the Ping++ shape (PRODUCT.md §3). Times are unix
 * seconds; amounts are integer minor units.
 */
import type { ChargeStatus } from '../core/charge-state.js';
import type { RefundStatus } from '../core/refund-rules.js';

/** Which app and mode a caller acts in; every engine call is scoped by one. */
export interface Scope {
  readonly app_id: string;
  readonly livemode: boolean;
}

export interface ChargeObject {
  id: string;
  object: 'charge';
  created: number;
  livemode: boolean;
  paid: boolean;
  refunded: boolean;
  reversed: boolean;
  app: string;
  channel: string;
  /** The configured channel (`chn_…`) the charge is shown under. */
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
  refunds: { object: 'list'; url: string; has_more: boolean; data: RefundObject[] };
  amount_refunded: number;
  failure_code: string | null;
  failure_msg: string | null;
  metadata: Record<string, unknown>;
  credential: Record<string, unknown>;
  description: string | null;
  /** paygate additions */
  status: ChargeStatus;
  type: string;
  fee: number;
  escrow: boolean;
  shipment: { logistics_name: string; invoice_no: string; transport_type: string; time_shipped: number } | null;
  notify_url: string | null;
  return_url: string | null;
  /** Present only in the creation answer: lets a browser read and watch this one charge. */
  client_secret?: string;
}

export interface RefundObject {
  id: string;
  object: 'refund';
  order_no: string;
  amount: number;
  created: number;
  succeed: boolean;
  status: RefundStatus;
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

export interface EventObject {
  id: string;
  object: 'event';
  type: string;
  created: number;
  livemode: boolean;
  app: string;
  data: { object: Record<string, unknown> };
}

export interface ChannelObject {
  id: string;
  object: 'channel';
  app: string;
  type: string;
  name: string;
  livemode: boolean;
  enabled: boolean;
  /** Non-secret options as saved; secret ones as `{ set: true, hint: "…abcd" }` or absent. */
  options: Record<string, unknown>;
  fee: { percent_bp: number; fixed: number };
  transaction_types: string[] | null;
  delegate: string | null;
  codes: string[];
  created: number;
  updated: number;
}

export interface AppObject {
  id: string;
  object: 'app';
  name: string;
  requires_payment: boolean;
  allowed_redirect_hosts: string[];
  created: number;
  /** An app is ready to take payments in a mode when it has an enabled channel in it. */
  payment_ready: { test: boolean; live: boolean };
  /** What is missing, in words, when not ready (seed 001's reminder). */
  missing: string[];
}

export interface AppKeys {
  test_secret_key: string;
  live_secret_key: string;
  test_publishable_key: string;
  live_publishable_key: string;
}

export interface ListObject<T> {
  object: 'list';
  url: string;
  has_more: boolean;
  data: T[];
}

/** Input of `charges.create`, as validated at the HTTP edge (bodies may still be loose). */
export interface ChargeCreateInput {
  order_no: string;
  channel: string;
  amount: number;
  currency: string;
  client_ip: string;
  subject: string;
  body: string;
  description?: string;
  extra?: Record<string, unknown>;
  metadata?: Record<string, unknown>;
  /** Unix seconds; default now + 1 hour. */
  time_expire?: number;
  type?: string;
  notify_url?: string;
  return_url?: string;
  /** Pick a configured channel explicitly; default: the app's enabled channel serving `channel`. */
  channel_id?: string;
}

export interface ChannelCreateInput {
  type: string;
  name?: string;
  livemode?: boolean;
  enabled?: boolean;
  options?: Record<string, unknown>;
  fee?: { percent_bp?: number; fixed?: number };
  transaction_types?: string[] | null;
  delegate?: string | null;
}

export type ChannelUpdateInput = Partial<Omit<ChannelCreateInput, 'type' | 'livemode'>>;

export type SimulateOutcome = 'paid' | 'secured_paid' | 'failed' | 'confirm';

export interface ListParams {
  limit?: number;
  starting_after?: string;
  ending_before?: string;
}
