/**
 * The transport a channel talks to its provider with. Every request and response is collected
 * as log lines (the engine writes them on the charge, masked); redirects are not followed;
 * a timeout turns into a thrown `channel_request_failed`.
 */
import http from 'node:http';
import https from 'node:https';
import type { ChannelHttp, ChannelHttpRequest, ChannelHttpResponse } from '../channels/contract.js';
import { PaygateError } from '../core/errors.js';
import type { LogLine } from './charge-log.js';

const MAX_RESPONSE_BYTES = 2 * 1024 * 1024;

export function loggedChannelHttp(defaultTimeoutMs: number, logBase: Omit<LogLine, 'kind' | 'message' | 'data'>, lines: LogLine[]): ChannelHttp {
  return {
    async request(request) {
      const started = Date.now();
      lines.push({ ...logBase, kind: 'request', message: `${request.method} ${stripQuery(request.url)}`, data: { url: request.url, headers: request.headers ?? {}, body: request.body ?? '' }, secretFields: request.secretFields });
      try {
        const response = await send(request, request.timeoutMs ?? defaultTimeoutMs);
        lines.push({ ...logBase, kind: 'response', message: `${response.status} in ${Date.now() - started} ms`, data: { status: response.status, headers: response.headers, body: response.body.slice(0, 8_000) }, secretFields: request.secretFields });
        return response;
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        lines.push({ ...logBase, kind: 'error', message: `request failed after ${Date.now() - started} ms: ${message}` });
        throw new PaygateError('channel_request_failed', { message: `The payment channel could not be reached: ${message}`, cause: error });
      }
    },
  };
}

function stripQuery(url: string): string {
  const i = url.indexOf('?');
  return i === -1 ? url : url.slice(0, i);
}

function send(request: ChannelHttpRequest, timeoutMs: number): Promise<ChannelHttpResponse> {
  const url = new URL(request.url);
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(url, {
      method: request.method,
      headers: { ...(request.body !== undefined ? { 'content-length': Buffer.byteLength(request.body) } : {}), ...request.headers },
      timeout: timeoutMs,
      ...(request.tls ? { cert: request.tls.cert, key: request.tls.key } : {}),
    }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_RESPONSE_BYTES) req.destroy(new Error('response too large'));
        else chunks.push(chunk);
      });
      res.on('end', () => {
        const headers: Record<string, string> = {};
        for (const [key, value] of Object.entries(res.headers)) if (value !== undefined) headers[key] = Array.isArray(value) ? value.join(', ') : value;
        resolve({ status: res.statusCode ?? 0, headers, body: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    if (request.body !== undefined) req.write(request.body);
    req.end();
  });
}
