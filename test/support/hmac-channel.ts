/**
 * A minimal channel type for engine tests: its "provider" signs notifies with HMAC-SHA256 under
 * the channel's `secret` option. It exercises the engine's notify path independently of the
 * Alipay and WeChat protocol code.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ChannelType, InboundRequest } from '../../src/channels/contract.js';

export function signHmacNotify(secret: string, fields: Record<string, string>): string {
  const body = new URLSearchParams(fields).toString();
  const sig = createHmac('sha256', secret).update(body).digest('hex');
  return `${body}&sig=${sig}`;
}

export const hmacChannel: ChannelType = {
  type: 'hmac',
  title: { en: 'HMAC test provider', zh: 'HMAC 测试渠道' },
  codes: ['hmac_pay'],
  options: [
    { name: 'merchant', label: { en: 'Merchant', zh: '商户' }, kind: 'string', required: true },
    { name: 'secret', label: { en: 'Secret', zh: '密钥' }, kind: 'secret', secret: true, required: true },
  ],
  async createPayment(ctx, charge) {
    return { ok: true, credential: { url: `https://provider.example/pay?trade=${charge.id}&m=${String(ctx.channel.options.merchant)}` } };
  },
  async parseNotify(ctx, request: InboundRequest) {
    const index = request.rawBody.lastIndexOf('&sig=');
    if (index < 0) return { verified: false, reason: 'no signature' };
    const body = request.rawBody.slice(0, index);
    const sig = Buffer.from(request.rawBody.slice(index + 5), 'hex');
    const fields = Object.fromEntries(new URLSearchParams(body));
    const expected = createHmac('sha256', String(ctx.channel.options.secret)).update(body).digest();
    if (sig.length !== expected.length || !timingSafeEqual(sig, expected)) return { verified: false, reason: 'bad signature', charge_id: fields.trade };
    if (fields.merchant !== ctx.channel.options.merchant) return { verified: false, reason: `merchant ${fields.merchant} is not this channel's`, charge_id: fields.trade };
    const kind = fields.status === 'paid' ? 'paid' : fields.status === 'closed' ? 'closed' : 'pending';
    return { verified: true, charge_id: fields.trade, event: { kind }, amount: Number(fields.amount), transaction_no: fields.txn, notification_id: fields.nid };
  },
  acknowledgeNotify: (ok) => ({ status: ok ? 200 : 400, body: ok ? 'OK' : 'NO' }),
};
