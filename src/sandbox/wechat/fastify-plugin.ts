/**
 * Mounts a WechatSandbox on a Fastify instance (under a prefix when embedded): bodies are kept
 * as raw text (signatures are checked on it), XML bodies are capped, and each request is handed
 * to the router as a plain SandboxRequest.
 */
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { SandboxRequest } from './http-types.js';
import { routeSandbox } from './router.js';
import type { WechatSandbox } from './sandbox.js';

export interface SandboxPluginOptions {
  readonly sandbox: WechatSandbox;
  /** Largest body the sandbox reads (WeChat's messages are small). */
  readonly bodyLimit?: number;
}

function cookiesOf(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) out[part.slice(0, eq).trim()] = decodeURIComponent(part.slice(eq + 1).trim());
  }
  return out;
}

function toSandboxRequest(request: FastifyRequest, prefix: string): SandboxRequest {
  const target = request.url;
  const pathname = target.split('?')[0];
  const path = (prefix && pathname.startsWith(prefix) ? pathname.slice(prefix.length) : pathname) || '/';
  const query: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(target.includes('?') ? target.slice(target.indexOf('?') + 1) : '')) if (!(key in query)) query[key] = value;
  const headers: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(request.headers)) headers[key] = Array.isArray(value) ? value.join(', ') : value;
  return { method: request.method, path, target, query, headers, rawBody: typeof request.body === 'string' ? request.body : '', cookies: cookiesOf(request.headers.cookie) };
}

export const wechatSandboxPlugin: FastifyPluginAsync<SandboxPluginOptions> = async (app: FastifyInstance, options) => {
  const bodyLimit = options.bodyLimit ?? 256 * 1024;
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string', bodyLimit }, (_request, body, done) => done(null, typeof body === 'string' ? body : body.toString('utf8')));
  const prefix = app.prefix;
  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const answer = await routeSandbox(options.sandbox, toSandboxRequest(request, prefix));
    void reply.code(answer.status);
    for (const [name, value] of Object.entries(answer.headers ?? {})) void reply.header(name, value);
    return reply.send(answer.body);
  };
  app.route({ method: ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'], url: '/*', handler });
  app.route({ method: 'GET', url: '/', handler });
};
