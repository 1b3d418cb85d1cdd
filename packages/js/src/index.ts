/**
 * `@paygate/js`: the browser side of paygate, with no dependencies.
 *
 *   import { configure, fetchPayUrl, watchChargeStatus, pay } from '@paygate/js';
 *   configure({ baseUrl: 'https://pay.example.com' });
 *   watchChargeStatus(charge, (c) => { if (c.status === 'succeeded') location.href = '/orders/' + c.order_no; });
 *   await pay(charge); // redirect, QR page or WeixinJSBridge, as the credential needs
 */
export { configure, PaygateError, FINAL_STATUSES, type Charge, type ChargeStatus, type PaygateConfig } from './types.js';
export { createCharge, fetchPayUrl, retrieveCharge } from './charges.js';
export { watchChargeStatus, type ChargeWatch, type WatchOptions } from './watch.js';
export { pay, payAction, type PayAction, type PayOptions } from './pay.js';
export { PaymentMixin, createPaymentMixin } from './vue-mixin.js';
