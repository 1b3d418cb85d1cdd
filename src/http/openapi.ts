/**
 * The OpenAPI 3.1 document of paygate's public API, built by @fastify/swagger from the very
 * TypeBox schemas the routes validate and serialise with, served at `/v1/openapi.json`.
 * Only `/v1/…` and `/capi/…` routes are documented; pages, callbacks and sandboxes are not API.
 */
import type { FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';

const DOCUMENTED = /^\/(v1|capi)\//;

export function installOpenApi(app: FastifyInstance): void {
  void app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'paygate API',
        version: '1',
        description: 'Self-hosted unified payment gateway with a Ping++-shaped charge API. Amounts are integers of the currency\'s minor unit (fen for CNY); times are unix seconds.',
      },
      components: {
        securitySchemes: {
          bearerKey: { type: 'http', scheme: 'bearer', description: 'The app\'s secret key (sk_test_… / sk_live_…).' },
          basicKey: { type: 'http', scheme: 'basic', description: 'The secret key as the user name, empty password (what the pingpp SDK sends).' },
        },
      },
      security: [{ bearerKey: [] }, { basicKey: [] }],
    },
    transform: ({ schema, url }) => {
      const documented = DOCUMENTED.test(url) && url !== '/v1/openapi.json';
      return { schema: documented ? schema : { ...schema, hide: true }, url };
    },
  });
  app.get('/v1/openapi.json', { schema: { hide: true } }, async (_request, reply) => reply.type('application/json; charset=utf-8').send(app.swagger()));
}
