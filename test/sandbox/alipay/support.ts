/** A standalone sandbox on a temp keys directory, and a merchant endpoint that records notifies. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startStandaloneAlipaySandbox, type RunningSandbox, type StandaloneOptions } from '../../../src/sandbox/alipay/standalone.js';

export interface ReceivedNotify {
  readonly path: string;
  readonly body: string;
  readonly params: Record<string, string>;
}

export interface MerchantEndpoint {
  readonly url: string;
  readonly received: ReceivedNotify[];
  /** What the endpoint answers; `success` unless a test changes it. */
  answer: (notify: ReceivedNotify) => string;
  /** Resolves when `count` notifies have arrived. */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedNotify[]>;
  close(): Promise<void>;
}

export async function merchantEndpoint(): Promise<MerchantEndpoint> {
  const received: ReceivedNotify[] = [];
  const waiters: Array<() => void> = [];
  const endpoint: MerchantEndpoint = {
    url: '',
    received,
    answer: () => 'success',
    async waitFor(count, timeoutMs = 10_000) {
      const started = Date.now();
      while (received.length < count) {
        if (Date.now() - started > timeoutMs) throw new Error(`expected ${count} notifies, got ${received.length}`);
        await new Promise<void>((resolve) => { waiters.push(resolve); setTimeout(resolve, 50); });
      }
      return received;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => { body += chunk.toString('utf8'); });
    request.on('end', () => {
      const notify = { path: request.url ?? '', body, params: Object.fromEntries(new URLSearchParams(body)) };
      received.push(notify);
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.end(endpoint.answer(notify));
      for (const wake of waiters.splice(0)) wake();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  (endpoint as { url: string }).url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return endpoint;
}

export async function tempSandbox(options: Partial<StandaloneOptions> = {}): Promise<RunningSandbox & { dispose(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'paygate-alipay-sandbox-'));
  const running = await startStandaloneAlipaySandbox({ keysDir: dir, retrySchedule: [200, 200], ...options });
  return { ...running, async dispose() { await running.close(); rmSync(dir, { recursive: true, force: true }); } };
}
