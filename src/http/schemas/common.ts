/**
 * Schema building blocks shared by every route: nullable fields, free-form objects, the error
 * answer, lists and pagination. TypeBox emits plain JSON Schema, which Fastify validates and
 * serialises with and @fastify/swagger turns into the OpenAPI document.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';

/**
 * `T | null` as `type: [T, "null"]` rather than `anyOf`: fast-json-stringify serialises it
 * without a validation pass, and OpenAPI 3.1 reads it as is.
 */
export function Nullable<T extends TSchema>(schema: T) {
  const type = (schema as { type?: string }).type;
  if (typeof type !== 'string') throw new Error('Nullable() needs a schema with a single type');
  return Type.Unsafe<Static<T> | null>({ ...schema, type: [type, 'null'] });
}

/** An object with any keys (`extra`, `metadata`, `credential`): passed through as is. */
export const FreeObject = (description?: string) => Type.Object({}, { additionalProperties: true, ...(description ? { description } : {}) });

/** Unix time in seconds. */
export const UnixTime = (description?: string) => Type.Integer({ ...(description ? { description } : {}) });

export const ErrorResponse = Type.Object({
  error: Type.Object({
    type: Type.String({ description: 'invalid_request_error, authentication_error, permission_error, idempotency_error, rate_limit_error, channel_error, api_error' }),
    code: Type.String({ description: 'A stable code from docs/errors.md.' }),
    message: Type.String({ description: 'What went wrong and what to fix, in words.' }),
    param: Type.Optional(Type.String({ description: 'The parameter at fault, e.g. amount or app[id].' })),
  }),
}, { description: 'An error.' });

/** Responses every route may give besides its success answer. */
export const ERROR_RESPONSES = {
  '4xx': ErrorResponse,
  '5xx': ErrorResponse,
} as const;

export function ListOf<T extends TSchema>(item: T, description: string) {
  return Type.Object({
    object: Type.Literal('list'),
    url: Type.String(),
    has_more: Type.Boolean(),
    data: Type.Array(item),
  }, { description });
}

export const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
export type IdParams = Static<typeof IdParams>;

export const Pagination = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, description: 'Page size, 1 to 100 (default 10).' })),
  starting_after: Type.Optional(Type.String({ maxLength: 64, description: 'An object id: the page continues with older objects.' })),
  ending_before: Type.Optional(Type.String({ maxLength: 64, description: 'An object id: the page holds newer objects.' })),
};

/** `app[id]` as clients send it (an object in JSON, nested keys in forms and query strings). */
export const AppRef = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false, description: 'The app, `app[id]`; must be the key\'s own app.' });

/** An empty (or absent) body. */
export const EmptyBody = Type.Object({}, { additionalProperties: false });

/** A string from a fixed list, as a plain `enum` (one clear validation message). */
export function StringEnum<const T extends readonly string[]>(values: T, description?: string) {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...(description ? { description } : {}) });
}
