/**
 * `@paygate/node`: the server SDK of paygate.
 *
 * ```ts
 * import { Paygate, webhooks } from '@paygate/node';
 * const paygate = new Paygate(process.env.PAYGATE_SECRET_KEY!, { baseUrl: 'https://pay.example.com' });
 * const charge = await paygate.charges.create({ order_no: '1001', channel: 'alipay_qr', amount: 100, … });
 * // in the webhook route, with the raw body:
 * const event = webhooks.verify(rawBody, req.headers['paygate-signature'], process.env.PAYGATE_WEBHOOK_SECRET!);
 * ```
 */
export { Paygate, type ClientOptions, type RequestOptions } from './client.js';
export { webhooks, verify, generateTestHeader, SIGNATURE_HEADER, EVENT_ID_HEADER, type VerifyOptions } from './webhooks.js';
export { PaygateApiError, PaygateConnectionError, WebhookSignatureError, type SignatureFailure } from './errors.js';
export type * from './types.js';
