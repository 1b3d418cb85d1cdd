/** Creating a charge (through the app's own back end) and fetching its pay URL (from paygate). */
import { chargeCredential, requestJson } from './http.js';
import { currentConfig, type Charge, type PaygateConfig } from './types.js';

/**
 * Asks the app's own back end to create a charge (`createChargeUrl`, default `/api/charge`): it
 * holds the secret key and calls paygate, then returns the charge with its `client_secret`.
 */
export function createCharge(chargeData: Record<string, unknown>, options: Partial<PaygateConfig> = {}): Promise<Charge> {
  const config = currentConfig(options);
  return requestJson<Charge>(config.createChargeUrl, { method: 'POST', body: chargeData });
}

/**
 * The URL that pays `charge` (seed 000 `fetch_pay_url`): open it, or show it as a QR code. In test
 * mode opening it completes the payment.
 */
export function fetchPayUrl(charge: Charge, options: { channel?: string } & Partial<PaygateConfig> = {}): Promise<{ pay_url: string }> {
  const config = currentConfig(options);
  const body = options.channel ? { channel: options.channel } : {};
  return requestJson<{ pay_url: string }>(`${config.baseUrl}/capi/api/v1/charge/${encodeURIComponent(charge.id)}/fetch_pay_url`, {
    method: 'POST', body, credential: chargeCredential(charge, config),
  });
}

/** Reads the charge's current state from paygate. */
export function retrieveCharge(charge: Charge, options: Partial<PaygateConfig> = {}): Promise<Charge> {
  const config = currentConfig(options);
  return requestJson<Charge>(`${config.baseUrl}/v1/charges/${encodeURIComponent(charge.id)}`, { credential: chargeCredential(charge, config) });
}
