/** What the browser sees of paygate's objects, and the SDK's configuration. */

export type ChargeStatus = 'created' | 'pending' | 'secured_paid' | 'shipped' | 'succeeded' | 'closed';

/** A charge as paygate returns it (Ping++ shape), or as seed 000's `/capi` routes return it. */
export interface Charge {
  id: string;
  status?: ChargeStatus | string;
  paid?: boolean;
  channel?: string;
  amount?: number;
  /** Only in the creation answer: lets this browser read, watch and pay this one charge. */
  client_secret?: string;
  /** `{object:"credential", <channel code>: {...}}` */
  credential?: Record<string, unknown>;
  /** seed 000's charges carry their pay URL directly. */
  pay_url?: string | null;
  [key: string]: unknown;
}

export interface PaygateConfig {
  /** paygate's base URL (`https://pay.example.com`); default: this page's origin. */
  baseUrl: string;
  /** The app's publishable key (`pk_…`), used when a charge has no `client_secret`. */
  publishableKey?: string;
  /** The app's own back-end route that creates charges (the secret key never reaches a browser). */
  createChargeUrl: string;
  /** How often the polling fallback asks, ms. */
  pollIntervalMs: number;
}

/** Final statuses: a charge in one never changes again, so watching stops. */
export const FINAL_STATUSES: readonly string[] = ['succeeded', 'closed'];

const config: PaygateConfig = { baseUrl: '', createChargeUrl: '/api/charge', pollIntervalMs: 2000 };

/** Sets defaults for every call (any field may also be passed per call). */
export function configure(options: Partial<PaygateConfig>): PaygateConfig {
  Object.assign(config, options);
  config.baseUrl = config.baseUrl.replace(/\/+$/, '');
  return { ...config };
}

export function currentConfig(overrides: Partial<PaygateConfig> = {}): PaygateConfig {
  const merged = { ...config, ...overrides };
  return { ...merged, baseUrl: merged.baseUrl.replace(/\/+$/, '') };
}

/** The error every SDK call rejects with: paygate's `{type, code, message, param}` when it answered. */
export class PaygateError extends Error {
  readonly code: string;
  readonly status: number;
  readonly param?: string;
  constructor(message: string, code: string, status: number, param?: string) {
    super(message);
    this.name = 'PaygateError';
    this.code = code;
    this.status = status;
    this.param = param;
  }
}
