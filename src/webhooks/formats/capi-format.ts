/**
 * Seed 000's notification to a charge's `notify_url` (`/capi/api/v1/charge`):
 * `{id, subject, body, amount, trade_no, paid, paid_time, status, created, data:{trade_no,
 * buyer_email, seller_id}}`. Top-level `trade_no` is the app's own order number (what the seed's
 * `payment` handler looks the order up by); `data.trade_no` is the channel's trade number.
 * Only charge events have this shape; the seed sends it when a charge succeeds.
 */
import { chargeSnapshot, extensionOf, fact, isoTime } from './charge-facts.js';
import type { PayloadFormat } from './types.js';

export const capiFormat: PayloadFormat = {
  name: 'capi',
  accepts: (type) => type.startsWith('charge.'),
  render({ event, charge }) {
    if (!event.type.startsWith('charge.')) return undefined;
    const snapshot = chargeSnapshot(event);
    const facts = extensionOf(charge);
    return JSON.stringify({
      id: snapshot.id,
      subject: snapshot.subject,
      body: snapshot.body,
      amount: snapshot.amount,
      trade_no: snapshot.order_no,
      paid: snapshot.paid,
      paid_time: snapshot.paid ? isoTime(snapshot.time_paid) : null,
      status: snapshot.status,
      created: isoTime(snapshot.created),
      data: {
        trade_no: snapshot.transaction_no ?? fact(facts, 'tradeNo', 'trade_no') ?? '',
        buyer_email: fact(facts, 'buyerEmail', 'buyer_email', 'buyer_logon_id') ?? '',
        seller_id: fact(facts, 'sellerId', 'seller_id') ?? '',
      },
    });
  },
};
