/**
 * The HTTP client every webhook send goes through (and the benchmark's bare loop, so the two are
 * compared on equal terms). POST only, keep-alive, no redirects followed, a hard deadline for the
 * whole exchange, a bounded read of the answer, and the destination guard applied at connect time.
 */
import http from 'node:http';
import https from 'node:https';
import { performance } from 'node:perf_hooks';
import { checkWebhookUrl, destinationPolicy, guardedLookup, type DestinationPolicy } from './destination-guard.js';

/** What one send needs. */
export interface WebhookRequest {
  readonly url: string;
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
  /** Live-mode destinations are held to the strict address policy. */
  readonly livemode: boolean;
}

/** What came back: the raw facts of one exchange. */
export interface WebhookResponse {
  /** HTTP status, or null when no answer arrived. */
  readonly status: number | null;
  readonly durationMs: number;
  /** The answer's body (up to the read limit), or null. */
  readonly body: string | null;
  /** Why there was no usable answer (connection, timeout, guard), or null. */
  readonly error: string | null;
  readonly location?: string;
}

export interface WebhookSender {
  send(request: WebhookRequest): Promise<WebhookResponse>;
  /** Closes idle keep-alive sockets. */
  close(): void;
}

export interface WebhookSenderOptions {
  /** Deadline of one exchange, connect to last byte; default 10 s. */
  readonly timeoutMs?: number;
  /** How much of an answer is read (enough to judge `SUCCESS` and keep an excerpt); default 16 KiB. */
  readonly maxBodyBytes?: number;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly userAgent?: string;
}

export const DEFAULT_WEBHOOK_TIMEOUT_MS = 10_000;

export function createWebhookSender(options: WebhookSenderOptions = {}): WebhookSender {
  const timeoutMs = options.timeoutMs ?? DEFAULT_WEBHOOK_TIMEOUT_MS;
  const maxBodyBytes = options.maxBodyBytes ?? 16 * 1024;
  const env = options.env ?? process.env;
  const userAgent = options.userAgent ?? 'paygate-webhooks/1';
  // Separate pools per policy: a socket opened under the lenient test-mode policy must never
  // carry a live-mode request.
  const agents = {
    open: { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) },
    strict: { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) },
  };

  function exchange(url: URL, request: WebhookRequest, policy: DestinationPolicy, started: number): Promise<WebhookResponse & { retryable?: boolean }> {
    const secure = url.protocol === 'https:';
    const pool = agents[policy.allowPrivate ? 'open' : 'strict'];
    return new Promise((resolve) => {
      let settled = false;
      const finish = (result: WebhookResponse & { retryable?: boolean }) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(result);
      };
      const elapsed = () => Math.round(performance.now() - started);
      const req = (secure ? https : http).request(url, {
        method: 'POST',
        agent: secure ? pool.https : pool.http,
        ...(policy.allowPrivate ? {} : { lookup: guardedLookup(policy) }),
        headers: { 'user-agent': userAgent, 'content-type': 'application/json; charset=utf-8', ...request.headers, 'content-length': String(Buffer.byteLength(request.body)) },
      }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const done = () => finish({
          status: res.statusCode ?? null, durationMs: elapsed(), body: Buffer.concat(chunks).toString('utf8'), error: null,
          ...(typeof res.headers.location === 'string' ? { location: res.headers.location } : {}),
        });
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= maxBodyBytes) return void chunks.push(chunk);
          // Enough to judge the answer; the rest is the receiver's business.
          chunks.push(chunk.subarray(0, Math.max(0, maxBodyBytes - (size - chunk.length))));
          done();
          res.destroy();
        });
        res.on('end', done);
        res.on('error', (error) => finish({ status: res.statusCode ?? null, durationMs: elapsed(), body: null, error: `the answer broke off: ${error.message}` }));
      });
      req.on('error', (error: NodeJS.ErrnoException) => {
        // A kept-alive socket the receiver had just closed: safe to try once more on a new one.
        const retryable = req.reusedSocket && (error.code === 'ECONNRESET' || error.code === 'EPIPE');
        finish({ status: null, durationMs: elapsed(), body: null, error: describeError(error, url, timeoutMs), retryable });
      });
      const timer = setTimeout(() => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT_PAYGATE' })), timeoutMs - (performance.now() - started));
      req.end(request.body);
    });
  }

  // Destinations repeat: check and parse each URL once per policy.
  const checked = new Map<string, { problem: string | undefined; url?: URL }>();
  const check = (text: string, policy: DestinationPolicy) => {
    const key = `${policy.allowPrivate ? 1 : 0}${text}`;
    let entry = checked.get(key);
    if (!entry) {
      const problem = checkWebhookUrl(text, policy);
      entry = problem ? { problem } : { problem, url: new URL(text) };
      if (checked.size >= 1000) checked.clear();
      checked.set(key, entry);
    }
    return entry;
  };

  return {
    async send(request) {
      const started = performance.now();
      const policy = destinationPolicy(request.livemode, env);
      const { problem, url } = check(request.url, policy);
      if (problem || !url) return { status: null, durationMs: 0, body: null, error: problem ?? 'invalid URL' };
      let result = await exchange(url, request, policy, started);
      if (result.retryable && performance.now() - started < timeoutMs) result = await exchange(url, request, policy, started);
      const { retryable: _ignored, ...response } = result;
      return response;
    },
    close() {
      for (const pool of Object.values(agents)) {
        pool.http.destroy();
        pool.https.destroy();
      }
    },
  };
}

function describeError(error: NodeJS.ErrnoException, url: URL, timeoutMs: number): string {
  const where = url.host;
  switch (error.code) {
    case 'ETIMEDOUT_PAYGATE': return `no complete answer within ${timeoutMs / 1000} s from ${where}`;
    case 'ECONNREFUSED': return `connection refused by ${where}: is the receiver running?`;
    case 'ENOTFOUND': case 'EAI_AGAIN': return `the host ${url.hostname} was not found (DNS)`;
    case 'ECONNRESET': return `${where} closed the connection before answering`;
    case 'EDESTINATIONREFUSED': return error.message;
    default: return `${error.code ? `${error.code}: ` : ''}${error.message}`;
  }
}
