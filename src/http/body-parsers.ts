/**
 * Request body parsing. JSON and form-encoded bodies (with Ping++/Stripe nested keys such as
 * `app[id]=…`, `extra[escrow]=true`, `metadata[k]=v`, parsed by `qs`) become objects; the exact
 * text that arrived stays on `request.rawBody`, because channel callbacks verify signatures on it
 * byte for byte. Form bodies are marked so that their string values can be coerced, carefully,
 * against the route's schema (see `form-coercion.ts`).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import qs from 'qs';
import { PaygateError } from '../core/errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The body exactly as received (decoded as UTF-8), when there was one. */
    rawBody?: string;
    /** `form` when the body was `application/x-www-form-urlencoded`: its values are all strings. */
    bodyFormat?: 'json' | 'form' | 'raw';
  }
}

/** Limits on nested form keys: deep enough for `metadata[a][b]`, small enough to be harmless. */
const QS_OPTIONS: qs.IParseOptions = { depth: 5, parameterLimit: 1000, arrayLimit: 100, allowPrototypes: false, charset: 'utf-8' };

/** Parses a query string or form body with nested keys. */
export function parseNested(text: string): Record<string, unknown> {
  return qs.parse(text, QS_OPTIONS) as Record<string, unknown>;
}

/** Installs the JSON and form parsers on an instance (and so on every route below it). */
export function installBodyParsers(app: FastifyInstance): void {
  // Fastify's own JSON parser guards against prototype poisoning; keep it, but keep the text too.
  const defaultJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request: FastifyRequest, body: string | Buffer, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    request.rawBody = text;
    request.bodyFormat = 'json';
    if (text.trim() === '') return done(null, undefined);
    defaultJson(request, text, (error, value) => {
      if (error) return done(new PaygateError('body_invalid', { message: `The JSON body could not be parsed: ${error.message}` }), undefined);
      done(null, value);
    });
  });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (request: FastifyRequest, body: string | Buffer, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    request.rawBody = text;
    request.bodyFormat = 'form';
    try {
      done(null, parseNested(text));
    } catch (error) {
      done(new PaygateError('body_invalid', { message: 'The form body could not be parsed.', cause: error }), undefined);
    }
  });
}

/**
 * For channel callbacks: drops every parser below `app` and keeps any body as raw text
 * (Alipay forms, WeChat XML and JSON alike), so the channel verifies exactly what was sent.
 */
export function installRawBodyParser(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (request: FastifyRequest, body: string | Buffer, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    request.rawBody = text;
    request.bodyFormat = 'raw';
    done(null, text);
  });
}
