/**
 * `watchChargeStatus(charge, callback)`: calls `callback(charge)` with the charge whenever its
 * status changes — first with the current state — and stops by itself at a final status
 * (succeeded, closed). Listens to paygate's Server-Sent Events stream; if EventSource is missing
 * or the stream breaks, it polls instead, so a proxy that buffers SSE only costs latency.
 */
import { chargeCredential } from './http.js';
import { retrieveCharge } from './charges.js';
import { currentConfig, FINAL_STATUSES, type Charge, type PaygateConfig } from './types.js';

export interface WatchOptions extends Partial<PaygateConfig> {
  /** `auto` (default): SSE, falling back to polling; or force one of them. */
  transport?: 'auto' | 'sse' | 'polling';
  /** Errors while polling (the watch keeps going, more slowly). */
  onError?: (error: unknown) => void;
}

export interface ChargeWatch {
  /** Stops watching (also happens by itself at a final status). */
  stop(): void;
  /** How the watch is listening right now. */
  readonly mode: 'sse' | 'polling' | 'stopped';
}

export function watchChargeStatus(charge: Charge, callback: (charge: Charge) => void, options: WatchOptions = {}): ChargeWatch {
  const config = currentConfig(options);
  const credential = chargeCredential(charge, config);
  let mode: ChargeWatch['mode'] = 'polling';
  let lastStatus: unknown;
  let source: EventSource | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let failures = 0;

  const stop = () => {
    mode = 'stopped';
    source?.close();
    source = undefined;
    if (timer !== undefined) clearTimeout(timer);
  };
  const deliver = (next: Charge) => {
    if (mode === 'stopped') return;
    if (next.status !== lastStatus) {
      lastStatus = next.status;
      callback(next);
    }
    if (FINAL_STATUSES.includes(String(next.status))) stop();
  };

  const stopped = () => mode === 'stopped';
  const poll = async () => {
    if (stopped()) return;
    try {
      deliver(await retrieveCharge(charge, config));
      failures = 0;
    } catch (error) {
      failures++;
      options.onError?.(error);
    }
    if (!stopped()) timer = setTimeout(poll, Math.min(config.pollIntervalMs * 2 ** failures, 30_000));
  };
  const startPolling = () => {
    source?.close();
    source = undefined;
    if (mode === 'stopped') return;
    mode = 'polling';
    void poll();
  };

  const canStream = typeof EventSource !== 'undefined' && options.transport !== 'polling';
  if (canStream) {
    mode = 'sse';
    const url = `${config.baseUrl}/v1/charges/${encodeURIComponent(charge.id)}/stream?client_secret=${encodeURIComponent(credential)}`;
    source = new EventSource(url);
    source.addEventListener('charge', (message) => deliver(JSON.parse((message as MessageEvent<string>).data) as Charge));
    // A broken stream (server restart, a proxy that does not pass SSE): poll instead.
    source.onerror = () => { if (mode === 'sse' && options.transport !== 'sse') startPolling(); };
  } else {
    startPolling();
  }
  return { stop, get mode() { return mode; } };
}
