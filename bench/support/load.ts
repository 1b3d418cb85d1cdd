/**
 * One load measurement with autocannon: a warm-up, then a timed run at a fixed number of
 * connections. Every request gets a fresh body from `makeBody` (charges need a unique order_no).
 */
import autocannon from 'autocannon';

export interface LoadOptions {
  readonly url: string;
  readonly path: string;
  readonly headers?: Record<string, string>;
  readonly makeBody: () => unknown;
  readonly connections: number;
  readonly durationSeconds: number;
  readonly warmupSeconds: number;
}

export interface LoadResult {
  /** Requests per second, mean over the timed run. */
  readonly rps: number;
  /** Milliseconds. */
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  /** Responses with a 2xx status in the timed run. */
  readonly ok: number;
  /** Non-2xx answers, socket errors and timeouts in the timed run. */
  readonly failed: number;
}

async function once(options: LoadOptions, durationSeconds: number): Promise<LoadResult> {
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    duration: durationSeconds,
    timeout: 10,
    requests: [{
      method: 'POST',
      path: options.path,
      headers: { 'content-type': 'application/json', ...options.headers },
      setupRequest: (request) => ({ ...request, body: JSON.stringify(options.makeBody()) }),
    }],
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    ok: result['2xx'],
    failed: result.non2xx + result.errors + result.timeouts,
  };
}

/** Warms up (result discarded), then measures. */
export async function measureLoad(options: LoadOptions): Promise<LoadResult> {
  if (options.warmupSeconds > 0) await once(options, options.warmupSeconds);
  return once(options, options.durationSeconds);
}
