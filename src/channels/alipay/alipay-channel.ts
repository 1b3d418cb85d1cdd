/**
 * The `alipay` channel type: Open Platform (RSA2/RSA: page, wap, precreate QR, query, close,
 * refund, refund query) and legacy mapi (MD5: direct pay, escrow with platform shipping).
 * In test mode an omitted gateway is paygate's embedded sandbox.
 */
import type { ChannelType, OutboundReply } from '../contract.js';
import { fail } from '../../core/errors.js';
import { ALIPAY_CODES, NOTIFY_FAILURE, NOTIFY_SUCCESS } from './protocol.js';
import { ALIPAY_OPTIONS, validateAlipayOptions } from './options.js';
import { createAlipayPayment } from './payments.js';
import { parseAlipayMessage } from './notify.js';
import { closeCharge, queryCharge, queryRefund, refundCharge, shipCharge, testAlipayConnection } from './operations.js';
import { simulateAsBuyer } from './simulate.js';

/** The embedded sandbox's gateway for a paygate base URL. */
export function embeddedSandboxGateway(baseUrl: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/sandbox/alipay/gateway.do`;
}

const LOGISTICS_TYPES = ['EXPRESS', 'POST', 'EMS', 'DIRECT'];

export const alipayChannel: ChannelType = {
  type: 'alipay',
  title: { en: 'Alipay', zh: '支付宝' },
  codes: ALIPAY_CODES,
  options: ALIPAY_OPTIONS,
  isEscrow: (charge) => charge.channel === 'alipay_escrow',
  validateOptions: validateAlipayOptions,
  defaultOptions(livemode, baseUrl): Readonly<Record<string, string>> {
    return livemode ? { sign_type: 'RSA2' } : { sign_type: 'RSA2', gateway: embeddedSandboxGateway(baseUrl) };
  },

  validateCharge(charge) {
    const extra = charge.extra;
    for (const name of ['cancel_url', 'passback_params', 'logistics_type']) {
      const value = extra[name];
      if (value !== undefined && typeof value !== 'string') fail('parameter_invalid', { param: `extra.${name}`, message: `extra.${name} must be a string.` });
    }
    if (typeof extra.cancel_url === 'string' && !/^https?:\/\//.test(extra.cancel_url)) {
      fail('parameter_invalid', { param: 'extra.cancel_url', message: 'extra.cancel_url must be an http(s) URL.' });
    }
    if (typeof extra.passback_params === 'string' && extra.passback_params.length > 512) {
      fail('parameter_invalid', { param: 'extra.passback_params', message: 'extra.passback_params must be at most 512 characters.' });
    }
    if (extra.logistics_type !== undefined && (charge.channel !== 'alipay_escrow' || !LOGISTICS_TYPES.includes(String(extra.logistics_type)))) {
      fail('parameter_invalid', { param: 'extra.logistics_type', message: `extra.logistics_type applies to alipay_escrow only and must be one of ${LOGISTICS_TYPES.join(', ')}.` });
    }
  },

  createPayment: createAlipayPayment,
  parseNotify: (ctx, request) => parseAlipayMessage(ctx, request, 'notify'),
  parseReturn: (ctx, request) => parseAlipayMessage(ctx, request, 'return'),
  acknowledgeNotify(ok: boolean): OutboundReply {
    // Alipay stops retrying only on these exact 7 characters, with nothing else in the body.
    return { status: ok ? 200 : 400, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: ok ? NOTIFY_SUCCESS : NOTIFY_FAILURE };
  },
  query: queryCharge,
  close: closeCharge,
  refund: refundCharge,
  queryRefund,
  ship: shipCharge,
  simulate: simulateAsBuyer,
  testConnection: testAlipayConnection,
};
