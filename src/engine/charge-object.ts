/** Turns stored rows into the API's charge and refund objects, and into a channel's ChargeView. */
import type { Selectable } from 'kysely';
import type { ChargesTable, RefundsTable } from '../store/schema.js';
import type { ChargeObject, RefundObject } from './api-types.js';
import type { ChargeView, RefundView } from '../channels/contract.js';
import { isPaid, type ChargeStatus } from '../core/charge-state.js';
import type { RefundStatus } from '../core/refund-rules.js';

export type ChargeRow = Selectable<ChargesTable>;
export type RefundRow = Selectable<RefundsTable>;

const seconds = (ms: number | null): number | null => (ms === null ? null : Math.floor(ms / 1000));

export function parseJsonObject(text: string | null): Record<string, unknown> {
  if (!text) return {};
  const value: unknown = JSON.parse(text);
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

export function toRefundObject(row: RefundRow, charge: Pick<ChargeRow, 'order_no'>): RefundObject {
  const status = row.status as RefundStatus;
  return {
    id: row.id,
    object: 'refund',
    order_no: `${charge.order_no}-${row.seq}`,
    amount: row.amount,
    created: Math.floor(row.created_at / 1000),
    succeed: status === 'succeeded',
    status,
    time_succeed: seconds(row.time_succeeded),
    description: row.description,
    failure_code: row.failure_code,
    failure_msg: row.failure_msg,
    metadata: parseJsonObject(row.metadata),
    charge: row.charge_id,
    charge_order_no: charge.order_no,
    transaction_no: row.transaction_no,
    livemode: row.livemode === 1,
  };
}

export function toChargeObject(row: ChargeRow, refunds: readonly RefundRow[] = []): ChargeObject {
  const status = row.status as ChargeStatus;
  const credential = parseJsonObject(row.credential);
  const shipment = row.shipment ? (JSON.parse(row.shipment) as ChargeObject['shipment']) : null;
  return {
    id: row.id,
    object: 'charge',
    created: Math.floor(row.created_at / 1000),
    livemode: row.livemode === 1,
    paid: isPaid(status),
    refunded: row.amount_refunded > 0 && row.amount_refunded >= row.amount,
    reversed: status === 'closed' && row.closed_reason === 'reversed',
    app: row.app_id,
    channel: row.channel,
    channel_id: row.channel_id,
    order_no: row.order_no,
    client_ip: row.client_ip,
    amount: row.amount,
    amount_settle: row.amount_settle,
    currency: row.currency,
    subject: row.subject,
    body: row.body,
    extra: parseJsonObject(row.extra),
    time_paid: seconds(row.time_paid),
    time_expire: Math.floor(row.time_expire / 1000),
    time_settle: seconds(row.time_succeeded),
    transaction_no: row.transaction_no,
    refunds: { object: 'list', url: `/v1/charges/${row.id}/refunds`, has_more: false, data: refunds.map((r) => toRefundObject(r, row)) },
    amount_refunded: row.amount_refunded,
    failure_code: row.failure_code,
    failure_msg: row.failure_msg,
    metadata: parseJsonObject(row.metadata),
    credential: { object: 'credential', ...credential },
    description: row.description,
    status,
    type: row.type,
    fee: row.fee,
    escrow: row.escrow === 1,
    shipment,
    notify_url: row.notify_url,
    return_url: row.return_url,
  };
}

export function toChargeView(row: ChargeRow): ChargeView {
  return {
    id: row.id,
    app_id: row.app_id,
    livemode: row.livemode === 1,
    channel: row.channel,
    order_no: row.order_no,
    type: row.type,
    amount: row.amount,
    amount_refunded: row.amount_refunded,
    currency: row.currency,
    subject: row.subject,
    body: row.body,
    description: row.description,
    client_ip: row.client_ip,
    extra: parseJsonObject(row.extra),
    metadata: parseJsonObject(row.metadata),
    status: row.status as ChargeStatus,
    transaction_no: row.transaction_no,
    created: Math.floor(row.created_at / 1000),
    time_expire: Math.floor(row.time_expire / 1000),
    return_url: row.return_url,
  };
}

export function toRefundView(row: RefundRow): RefundView {
  return { id: row.id, charge_id: row.charge_id, amount: row.amount, description: row.description, seq: row.seq };
}
