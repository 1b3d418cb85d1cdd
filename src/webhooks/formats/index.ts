/** The payload formats by name (PRODUCT.md §4): `event` (default), `capi` (seed 000), `scrm` (seed 001). */
import { capiFormat } from './capi-format.js';
import { eventFormat } from './event-format.js';
import { scrmFormat } from './scrm-format.js';
import type { PayloadFormat, WebhookFormat } from './types.js';

export { WEBHOOK_FORMATS, type WebhookFormat, type PayloadContext, type PayloadFormat } from './types.js';

const FORMATS: Readonly<Record<WebhookFormat, PayloadFormat>> = { event: eventFormat, capi: capiFormat, scrm: scrmFormat };

export function payloadFormat(name: WebhookFormat): PayloadFormat {
  return FORMATS[name];
}
