/**
 * The few routes a browser calls directly with a publishable key or a charge's client_secret
 * (reading one charge, fetching its pay URL, watching it) answer cross-origin requests, so the
 * browser SDK works from a shop on another origin. Any origin may call them: they never use
 * cookies, and what they return is what the key or client_secret already grants.
 * A route opts in with `config: { browser: true }`; its path also answers the CORS preflight.
 */
import type { FastifyInstance } from 'fastify';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Called from browsers on other origins (CORS). */
    browser?: boolean;
  }
}

const ALLOW_HEADERS = 'authorization, content-type, idempotency-key, last-event-id';

export function installBrowserCors(app: FastifyInstance): void {
  const preflighted = new Set<string>();
  app.addHook('onRoute', (route) => {
    if (!route.config?.browser || preflighted.has(route.url)) return;
    preflighted.add(route.url);
    app.options(route.url, { schema: { hide: true } }, async (_request, reply) => {
      return reply.header('access-control-allow-origin', '*')
        .header('access-control-allow-methods', 'GET, POST, OPTIONS')
        .header('access-control-allow-headers', ALLOW_HEADERS)
        .header('access-control-max-age', '600')
        .code(204).send();
    });
  });
  app.addHook('onRequest', async (request, reply) => {
    if (request.routeOptions.config?.browser) reply.header('access-control-allow-origin', '*');
  });
}
