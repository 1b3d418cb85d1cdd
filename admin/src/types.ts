/** Shapes of the admin API's answers, taken from the server's own types (type-only imports). */
export type { Dashboard } from '../../src/engine/admin/dashboard.js';
export type { TransactionPage, TransactionSummary } from '../../src/engine/admin/transaction-search.js';
export type { TransactionDetail } from '../../src/engine/admin/transaction-detail.js';
export type { PaymentRecord } from '../../src/engine/admin/payment-records.js';
export type { DeliveryView, EndpointView, AttemptView } from '../../src/engine/admin/webhook-views.js';
export type { ConnectionReport } from '../../src/engine/admin/channel-connection.js';
export type { AppObject, ChannelObject, ChargeObject, RefundObject, EventObject } from '../../src/engine/api-types.js';

export interface AppRow {
  id: string;
  name: string;
  requires_payment: boolean;
  allowed_redirect_hosts: string[];
  created: number;
  payment_ready: { test: boolean; live: boolean };
  missing: string[];
  keys: Array<{ kind: 'secret' | 'publishable'; livemode: boolean; hint: string; created: number }>;
  channels: { test: number; live: number };
}

export interface OptionFieldView {
  name: string;
  label: { en: string; zh: string };
  kind: 'string' | 'secret' | 'pem' | 'enum' | 'boolean' | 'url' | 'integer';
  required: boolean | 'live';
  secret: boolean;
  enum: string[] | null;
  default: string | number | boolean | null;
  help: { en: string; zh: string } | null;
}

export interface ChannelTypeView {
  type: string;
  title: { en: string; zh: string };
  codes: string[];
  test_only: boolean;
  can_test_connection: boolean;
  options: OptionFieldView[];
}
