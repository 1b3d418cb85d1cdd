/**
 * The built-in `test` channel (seed 002's TestApi): a hosted cashier at paygate's own
 * `/pay/test/:charge_id`. A plain GET of the pay URL pays (seed 000: "访问支付 URL 不用真实支付");
 * with `extra.interactive: true` the page asks for the channel's payment password and offers
 * Pay / Fail. Escrow when `extra.escrow: true`; shipping auto-confirms when `auto_confirm` is set.
 * Test mode only: no money moves anywhere.
 */
import type { ChannelType } from '../contract.js';
import { randomBase62 } from '../../core/ids.js';

export const TEST_CHANNEL_CODE = 'test';

export const testChannel: ChannelType = {
  type: 'test',
  title: { en: 'Test channel', zh: '测试支付' },
  codes: [TEST_CHANNEL_CODE],
  testOnly: true,
  options: [
    {
      name: 'payment_password',
      label: { en: 'Payment password', zh: '支付密码' },
      kind: 'secret',
      secret: true,
      required: true,
      default: '123456',
      help: { en: 'Asked on the interactive cashier page (5 to 100 characters).', zh: '交互式收银台页面要求输入的密码（5 到 100 个字符）。' },
      check: (value) => (typeof value === 'string' && value.length >= 5 && value.length <= 100 ? undefined : 'must be 5 to 100 characters'),
    },
    {
      name: 'auto_confirm',
      label: { en: 'Buyer confirms automatically after shipping', zh: '发货后自动确认收货' },
      kind: 'boolean',
      required: false,
      default: false,
    },
    {
      name: 'merchant_name',
      label: { en: 'Merchant name shown on the cashier', zh: '收银台显示的商户名称' },
      kind: 'string',
      required: false,
      default: 'paygate test merchant',
    },
  ],

  isEscrow: (charge) => charge.extra.escrow === true,

  async createPayment(ctx, charge) {
    return { ok: true, credential: { pay_url: `${ctx.urls.base}/pay/test/${charge.id}` } };
  },

  async close() {
    return { ok: true };
  },

  async refund(_ctx, _charge, refund) {
    return { ok: true, status: 'succeeded', transaction_no: `TR${refund.seq}${randomBase62(14)}` };
  },

  async ship(ctx) {
    return { ok: true, confirmed: ctx.channel.options.auto_confirm === true };
  },

  async testConnection() {
    return { ok: true, message: 'The test channel needs no connection: payments complete on paygate\'s own cashier page.' };
  },
};
