/**
 * Everything the console shows about one charge: the charge object, its app and channels, the
 * full log (state timeline, channel requests and responses, already masked when written), its
 * events with each webhook delivery and attempt, its refunds, and which actions apply now.
 */
import { fail } from '../../core/errors.js';
import { refundableAmount } from '../../core/refund-rules.js';
import type { ChargeObject, EventObject } from '../api-types.js';
import type { EngineDeps } from '../deps.js';
import { chargeLog, retrieveCharge, toEventObject, type LogEntry } from '../charge-queries.js';
import { deliveriesOfEvents, type DeliveryView } from './webhook-views.js';

export interface TransactionDetail {
  charge: ChargeObject;
  app: { id: string; name: string };
  channel: { id: string; name: string; type: string } | null;
  /** Set when another channel collected the money (pay-on-behalf). */
  paying_channel: { id: string; name: string; type: string } | null;
  log: LogEntry[];
  events: EventObject[];
  deliveries: DeliveryView[];
  actions: {
    refund: boolean;
    /** What a refund may still take, minor units. */
    refundable: number;
    ship: boolean;
    close: boolean;
  };
}

export async function transactionDetail(deps: EngineDeps, id: string): Promise<TransactionDetail> {
  const db = deps.database.db;
  const row = await db.selectFrom('charges').select(['id', 'app_id', 'livemode', 'channel_id', 'paying_channel_id']).where('id', '=', id).executeTakeFirst();
  if (!row) fail('resource_not_found', { param: 'id', message: `No such charge: ${id}` });
  const charge = await retrieveCharge(deps, { app_id: row.app_id, livemode: row.livemode === 1 }, id);
  const [app, channels, log, eventRows, pending] = await Promise.all([
    db.selectFrom('apps').select(['id', 'name']).where('id', '=', row.app_id).executeTakeFirstOrThrow(),
    db.selectFrom('channels').select(['id', 'name', 'type']).where('id', 'in', [row.channel_id, row.paying_channel_id]).execute(),
    chargeLog(deps, id),
    db.selectFrom('events').selectAll().where('charge_id', '=', id).orderBy('seq').execute(),
    db.selectFrom('refunds').select(({ fn }) => fn.sum<number>('amount').as('sum')).where('charge_id', '=', id).where('status', '=', 'pending').executeTakeFirst(),
  ]);
  const events = eventRows.map(toEventObject);
  const refundable = charge.status === 'succeeded'
    ? refundableAmount({ status: charge.status, amount: charge.amount, amount_refunded: charge.amount_refunded, amount_refund_pending: Number(pending?.sum ?? 0) })
    : 0;
  const find = (channelId: string) => channels.find((c) => c.id === channelId) ?? null;
  return {
    charge,
    app,
    channel: find(row.channel_id),
    paying_channel: row.paying_channel_id !== row.channel_id ? find(row.paying_channel_id) : null,
    log,
    events,
    deliveries: await deliveriesOfEvents(deps, events.map((e) => e.id)),
    actions: {
      refund: refundable > 0,
      refundable,
      ship: charge.escrow && charge.status === 'secured_paid',
      close: charge.status === 'created' || charge.status === 'pending',
    },
  };
}

/** The scope a console action on a charge runs in: the charge's own app and mode. */
export async function chargeScope(deps: EngineDeps, id: string): Promise<{ app_id: string; livemode: boolean }> {
  const row = await deps.database.db.selectFrom('charges').select(['app_id', 'livemode']).where('id', '=', id).executeTakeFirst();
  if (!row) fail('resource_not_found', { param: 'id', message: `No such charge: ${id}` });
  return { app_id: row.app_id, livemode: row.livemode === 1 };
}
