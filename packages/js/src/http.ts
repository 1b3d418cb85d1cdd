/** JSON requests to paygate (or the app's back end) that fail with a `PaygateError` saying why. */
import { PaygateError, type Charge, type PaygateConfig } from './types.js';

/** The credential a browser may present for one charge: its client secret, else the publishable key. */
export function chargeCredential(charge: Charge, config: PaygateConfig): string {
  const credential = charge.client_secret ?? config.publishableKey;
  if (!credential) {
    throw new PaygateError('This charge has no client_secret and no publishableKey is configured: return the charge\'s client_secret from your back end, or call configure({ publishableKey: "pk_…" }).', 'credential_missing', 0);
  }
  return credential;
}

export async function requestJson<T>(url: string, init: { method?: string; body?: unknown; credential?: string } = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  if (init.credential) headers.authorization = `Bearer ${init.credential}`;
  let response: Response;
  try {
    response = await fetch(url, { method: init.method ?? 'GET', headers, body: init.body === undefined ? undefined : JSON.stringify(init.body), credentials: 'same-origin' });
  } catch (error) {
    throw new PaygateError(`Could not reach ${url}: ${error instanceof Error ? error.message : String(error)}`, 'network_error', 0);
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (!response.ok) {
    const error = (body as { error?: { code?: string; message?: string; param?: string } } | undefined)?.error;
    throw new PaygateError(error?.message ?? `${url} answered HTTP ${response.status}`, error?.code ?? 'http_error', response.status, error?.param);
  }
  return body as T;
}
