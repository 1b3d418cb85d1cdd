/**
 * paygate's HTTP server: `buildServer({ paygate })` returns a Fastify instance, not listening, with
 * body parsing (JSON and nested form keys, raw text kept), error mapping, authentication helpers,
 * `Idempotency-Key`, `Cache-Control: no-store`, the OpenAPI document at `/v1/openapi.json`, and
 * every route plugin listed in `routes/index.ts`.
 */
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { Paygate } from '../engine/paygate.js';
import { installBodyParsers, parseNested } from './body-parsers.js';
import { installErrorHandling } from './error-handler.js';
import { installIdempotency } from './idempotency.js';
import { coerceToSchema } from './form-coercion.js';
import { installOpenApi } from './openapi.js';
import { ROUTE_PLUGINS } from './routes/index.js';
import { installBrowserCors } from './browser-cors.js';

export interface BuildServerOptions {
  readonly paygate: Paygate;
  /** Fastify's logger option: `false` (default), `true`, or a pino configuration. */
  readonly logger?: FastifyServerOptions['logger'];
  /** Largest accepted request body, bytes (default 1 MiB). */
  readonly bodyLimit?: number;
}

export const DEFAULT_BODY_LIMIT = 1024 * 1024;

export function buildServer(options: BuildServerOptions): FastifyInstance {
  const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit,
    routerOptions: { ignoreTrailingSlash: true, querystringParser: (text: string) => parseNested(text) },
    ajv: {
      // Types are never guessed: JSON must say what it means, and form/query strings are
      // coerced strictly against the schema in preValidation (form-coercion.ts).
      customOptions: { coerceTypes: false, removeAdditional: false, useDefaults: false, allErrors: false },
    },
  });

  installBodyParsers(app);
  installErrorHandling(app, bodyLimit, Boolean(options.logger));
  installBrowserCors(app);

  app.addHook('preValidation', async (request) => {
    const schema = request.routeOptions.schema;
    if (!schema) return;
    if (schema.body && (request.body === undefined || request.body === null)) request.body = {};
    if (schema.body && request.bodyFormat === 'form') request.body = coerceToSchema(schema.body, request.body);
    if (schema.querystring) request.query = coerceToSchema(schema.querystring, request.query);
  });
  app.addHook('onRequest', async (request, reply) => {
    // The official pingpp Node SDK writes its body only on a socket's 'connect' event, so on a
    // reused keep-alive socket (Node ≥ 19 keeps sockets alive by default) it never sends it and
    // hangs. Closing its connections after each answer keeps that SDK working.
    if (request.headers['user-agent']?.startsWith('Pingpp/')) reply.header('connection', 'close');
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    // API answers describe live state: never cache them. Pages and assets that want caching say so.
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    return payload;
  });
  installIdempotency(app, options.paygate);
  installOpenApi(app);

  for (const plugin of ROUTE_PLUGINS) void app.register(plugin, { paygate: options.paygate });
  return app;
}
