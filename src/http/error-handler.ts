/**
 * One place turns every failure into the wire shape `{"error":{"type","code","message","param"}}`:
 * registered `PaygateError`s keep their status; schema validation becomes `parameter_missing` /
 * `parameter_invalid` / `parameter_unknown` naming the parameter (`app[id]`, `extra[escrow]`);
 * Fastify's own body faults map to `body_invalid` / `body_too_large`; anything else is a 500
 * `internal_error` that is logged in full and said to the client in one neutral sentence.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PaygateError, isPaygateError } from '../core/errors.js';

/** One Ajv error, as Fastify hands it over. */
interface ValidationIssue {
  readonly instancePath: string;
  readonly keyword: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly message?: string;
}

/** `/app/id` → `app[id]`, the way clients name nested parameters in forms and SDKs. */
export function paramName(pointer: string, child?: string): string {
  const parts = pointer.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (child !== undefined) parts.push(child);
  if (parts.length === 0) return '';
  return parts[0] + parts.slice(1).map((p) => `[${p}]`).join('');
}

function describe(issue: ValidationIssue, param: string, context: string): string {
  const p = issue.params;
  switch (issue.keyword) {
    case 'type': {
      const type = String(p.type).replace(/,/g, ' or ');
      const article = /^[aeiou]/.test(type) ? 'an' : 'a';
      return `${param} must be ${article} ${type}${type === 'integer' ? ' (digits only, no decimal point or quotes in JSON)' : ''}.`;
    }
    case 'minimum': return `${param} must be at least ${String(p.limit)}.`;
    case 'maximum': return `${param} must be at most ${String(p.limit)}.`;
    case 'minLength': return `${param} must not be empty${Number(p.limit) > 1 ? ` (at least ${String(p.limit)} characters)` : ''}.`;
    case 'maxLength': return `${param} must be at most ${String(p.limit)} characters.`;
    case 'pattern': return `${param} has an invalid format.`;
    case 'enum': return `${param} must be one of: ${(p.allowedValues as unknown[]).map(String).join(', ')}.`;
    case 'const': return `${param} must be ${JSON.stringify(p.allowedValue)}.`;
    case 'maxItems': return `${param} may hold at most ${String(p.limit)} items.`;
    case 'maxProperties': return `${param} may hold at most ${String(p.limit)} keys.`;
    default: return `${param || `the ${context}`} ${issue.message ?? 'is invalid'}.`;
  }
}

/** Maps the first schema violation to a registered error naming the parameter. */
export function validationError(issues: readonly ValidationIssue[], context: string): PaygateError {
  const issue = issues[0];
  if (!issue) return new PaygateError('parameter_invalid');
  if (issue.keyword === 'required') {
    const param = paramName(issue.instancePath, String(issue.params.missingProperty));
    return new PaygateError('parameter_missing', { param, message: `${param} is required.` });
  }
  if (issue.keyword === 'additionalProperties') {
    const param = paramName(issue.instancePath, String(issue.params.additionalProperty));
    return new PaygateError('parameter_unknown', { param, message: `Unknown parameter ${param}.` });
  }
  const param = paramName(issue.instancePath);
  if (!param && issue.keyword === 'type') return new PaygateError('body_invalid', { message: `The ${context} must be an object of parameters (JSON or form-encoded).` });
  return new PaygateError('parameter_invalid', { ...(param ? { param } : {}), message: describe(issue, param, context) });
}

/** Translates any thrown value into a registered error; unknown faults become `internal_error`. */
export function toPaygateError(error: unknown, bodyLimit: number): { error: PaygateError; unexpected: boolean } {
  if (isPaygateError(error)) return { error, unexpected: false };
  const e = error as FastifyError & { validation?: ValidationIssue[]; validationContext?: string };
  if (Array.isArray(e?.validation)) return { error: validationError(e.validation, e.validationContext ?? 'body'), unexpected: false };
  switch (e?.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { error: new PaygateError('body_too_large', { message: `The request body is larger than ${bodyLimit} bytes, the most paygate accepts.` }), unexpected: false };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { error: new PaygateError('body_invalid', { message: 'Unsupported Content-Type; send application/json or application/x-www-form-urlencoded.' }), unexpected: false };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return { error: new PaygateError('body_invalid', { message: e.message }), unexpected: false };
    default:
      break;
  }
  if (typeof e?.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500 && e.code?.startsWith('FST_')) {
    return { error: new PaygateError('body_invalid', { message: e.message }), unexpected: false };
  }
  return { error: new PaygateError('internal_error', { cause: error }), unexpected: true };
}

/** Sends a registered error in the wire shape. */
export function sendError(reply: FastifyReply, error: PaygateError): FastifyReply {
  return reply.code(error.httpStatus).header('content-type', 'application/json; charset=utf-8').send(JSON.stringify(error.toJSON()));
}

/**
 * Installs the error and not-found handlers on the root instance. Unexpected faults go to the
 * request logger, or to stderr when the server runs without one, so they are never lost.
 */
export function installErrorHandling(app: FastifyInstance, bodyLimit: number, hasLogger: boolean): void {
  app.setErrorHandler((error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const { error: mapped, unexpected } = toPaygateError(error, bodyLimit);
    if (unexpected && hasLogger) request.log.error({ err: error, url: request.url, method: request.method }, 'unexpected error');
    else if (unexpected) console.error(`paygate: unexpected error on ${request.method} ${request.url.split('?')[0]}:`, error);
    return sendError(reply, mapped);
  });
  app.setNotFoundHandler((request: FastifyRequest, reply: FastifyReply) =>
    sendError(reply, new PaygateError('route_not_found', { message: `No route ${request.method} ${request.url.split('?')[0]}.` })));
}
