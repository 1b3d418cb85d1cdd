/**
 * Pure translation of paygate's charges, refunds and shipments into Alipay request parameters:
 * Open Platform common params + `biz_content`, and legacy mapi params. No I/O, no signing
 * (see sign.ts), no clock: times are passed in. Amounts become yuan only through money.ts.
 */
import type { ChargeView, RefundView, ShipmentView } from '../contract.js';
import { toMajorString } from '../../core/money.js';
import { formatAlipayTime } from './time.js';
import { ALIPAY_CURRENCY, METHODS, PRODUCT_CODES, SERVICES } from './protocol.js';
import type { RsaSignType } from './sign.js';

export type BizContent = Readonly<Record<string, string>>;

export interface CommonParamsInput {
  readonly appId: string;
  readonly method: string;
  readonly signType: RsaSignType;
  readonly nowMs: number;
  readonly bizContent: BizContent;
  readonly notifyUrl?: string;
  readonly returnUrl?: string;
}

/** The common request params of an Open Platform call, unsigned. */
export function openApiParams(input: CommonParamsInput): Record<string, string> {
  return {
    app_id: input.appId,
    method: input.method,
    format: 'JSON',
    charset: 'utf-8',
    sign_type: input.signType,
    timestamp: formatAlipayTime(input.nowMs),
    version: '1.0',
    ...(input.notifyUrl ? { notify_url: input.notifyUrl } : {}),
    ...(input.returnUrl ? { return_url: input.returnUrl } : {}),
    biz_content: JSON.stringify(input.bizContent),
  };
}

/** Alipay limits: subject ≤ 256 characters, body ≤ 128. */
function clip(text: string, max: number): string {
  return [...text].slice(0, max).join('');
}

function yuan(minor: number): string {
  return toMajorString(minor, ALIPAY_CURRENCY);
}

function stringExtra(charge: Pick<ChargeView, 'extra'>, name: string): string | undefined {
  const value = charge.extra[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** biz_content of page.pay, wap.pay and precreate. `out_trade_no` is paygate's charge id. */
export function tradeBizContent(charge: ChargeView, method: typeof METHODS.pagePay | typeof METHODS.wapPay | typeof METHODS.precreate, quitUrl?: string): BizContent {
  const biz: Record<string, string> = {
    out_trade_no: charge.id,
    total_amount: yuan(charge.amount),
    subject: clip(charge.subject, 256),
  };
  if (method !== METHODS.precreate) biz.product_code = PRODUCT_CODES[method];
  if (charge.body) biz.body = clip(charge.body, 128);
  biz.time_expire = formatAlipayTime(charge.time_expire * 1000);
  if (method === METHODS.wapPay) biz.quit_url = stringExtra(charge, 'cancel_url') ?? quitUrl ?? '';
  const passback = stringExtra(charge, 'passback_params');
  if (passback) biz.passback_params = encodeURIComponent(passback);
  return dropEmpty(biz);
}

export function queryBizContent(charge: Pick<ChargeView, 'id'>): BizContent {
  return { out_trade_no: charge.id };
}

export function closeBizContent(charge: Pick<ChargeView, 'id'>): BizContent {
  return { out_trade_no: charge.id };
}

/** A refund is idempotent at Alipay per `out_request_no`, which is paygate's refund id. */
export function refundBizContent(charge: Pick<ChargeView, 'id'>, refund: RefundView): BizContent {
  return dropEmpty({
    out_trade_no: charge.id,
    refund_amount: yuan(refund.amount),
    out_request_no: refund.id,
    refund_reason: clip(refund.description ?? '', 256),
  });
}

export function refundQueryBizContent(charge: Pick<ChargeView, 'id'>, refund: Pick<RefundView, 'id'>): BizContent {
  return { out_trade_no: charge.id, out_request_no: refund.id };
}

export interface MapiPayInput {
  readonly partner: string;
  readonly sellerId: string;
  readonly sellerEmail: string | undefined;
  readonly notifyUrl: string;
  readonly returnUrl: string;
  readonly nowMs: number;
  /** The channel code, echoed back signed in `extra_common_param`. */
  readonly code: string;
}

/** Params of create_direct_pay_by_user, its wap twin, or create_partner_trade_by_buyer, unsigned. */
export function mapiPayParams(charge: ChargeView, service: string, input: MapiPayInput): Record<string, string> {
  const common: Record<string, string> = {
    service,
    partner: input.partner,
    _input_charset: 'utf-8',
    notify_url: input.notifyUrl,
    return_url: input.returnUrl,
    out_trade_no: charge.id,
    subject: clip(charge.subject, 256),
    payment_type: '1',
    seller_id: input.sellerId,
    body: clip(charge.body, 400),
    it_b_pay: payWindow(charge.time_expire * 1000 - input.nowMs),
    extra_common_param: input.code,
  };
  if (service === SERVICES.escrowPay) {
    return dropEmpty({
      ...common,
      price: yuan(charge.amount),
      quantity: '1',
      logistics_type: stringExtra(charge, 'logistics_type') ?? 'EXPRESS',
      logistics_fee: '0.00',
      logistics_payment: 'SELLER_PAY',
      ...(input.sellerEmail ? { seller_email: input.sellerEmail } : {}),
    });
  }
  return dropEmpty({
    ...common,
    total_fee: yuan(charge.amount),
    ...(service === SERVICES.directPay ? { paymethod: 'directPay' } : {}),
    ...(input.sellerEmail ? { seller_email: input.sellerEmail } : {}),
  });
}

/** Params of send_goods_confirm_by_platform (escrow shipping), unsigned. */
export function sendGoodsParams(partner: string, tradeNo: string, shipment: ShipmentView): Record<string, string> {
  return dropEmpty({
    service: SERVICES.sendGoods,
    partner,
    _input_charset: 'utf-8',
    trade_no: tradeNo,
    logistics_name: clip(shipment.logistics_name, 64),
    invoice_no: clip(shipment.invoice_no, 64),
    transport_type: shipment.transport_type || 'EXPRESS',
  });
}

/** Params of single_trade_query, unsigned. */
export function singleTradeQueryParams(partner: string, chargeId: string): Record<string, string> {
  return { service: SERVICES.singleTradeQuery, partner, _input_charset: 'utf-8', out_trade_no: chargeId };
}

/** mapi's `it_b_pay`: minutes left to pay, between 1m and 15d. */
export function payWindow(msLeft: number): string {
  const minutes = Math.min(15 * 24 * 60, Math.max(1, Math.ceil(msLeft / 60_000)));
  return `${minutes}m`;
}

function dropEmpty(params: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(params)) if (value !== '') out[key] = value;
  return out;
}
