/**
 * The one registry of paygate's error codes. Every error that reaches an API client is one of
 * these; `docs/errors.md` lists them all and a test fails when one is missing there.
 * The wire shape follows Stripe/Ping++: `{"error":{"type","code","message","param"}}`.
 */

export type ErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'idempotency_error'
  | 'rate_limit_error'
  | 'channel_error'
  | 'api_error';

export interface ErrorSpec {
  readonly type: ErrorType;
  readonly httpStatus: number;
  /** Default message; says what to fix. */
  readonly message: string;
}

export const ERRORS = {
  // 400 — the request itself is wrong
  parameter_invalid: { type: 'invalid_request_error', httpStatus: 400, message: 'A parameter has an invalid value.' },
  parameter_missing: { type: 'invalid_request_error', httpStatus: 400, message: 'A required parameter is missing.' },
  parameter_unknown: { type: 'invalid_request_error', httpStatus: 400, message: 'The request has a parameter paygate does not know.' },
  body_invalid: { type: 'invalid_request_error', httpStatus: 400, message: 'The request body could not be parsed; send JSON or form-encoded data.' },
  body_too_large: { type: 'invalid_request_error', httpStatus: 413, message: 'The request body is larger than paygate accepts.' },
  amount_invalid: { type: 'invalid_request_error', httpStatus: 400, message: 'amount must be a positive integer of the currency\'s minor unit (fen for CNY).' },
  currency_unsupported: { type: 'invalid_request_error', httpStatus: 400, message: 'This currency is not supported.' },
  channel_code_unknown: { type: 'invalid_request_error', httpStatus: 400, message: 'No channel type serves this channel code.' },
  channel_type_unknown: { type: 'invalid_request_error', httpStatus: 400, message: 'Unknown channel type.' },
  channel_options_invalid: { type: 'invalid_request_error', httpStatus: 400, message: 'The channel options do not match the channel type\'s schema.' },
  channel_not_configured: { type: 'invalid_request_error', httpStatus: 400, message: 'The app has no enabled channel for this channel code in this mode.' },
  transaction_type_unknown: { type: 'invalid_request_error', httpStatus: 400, message: 'Unknown transaction type.' },
  transaction_type_not_allowed: { type: 'invalid_request_error', httpStatus: 400, message: 'The channel does not accept this transaction type.' },
  time_expire_invalid: { type: 'invalid_request_error', httpStatus: 400, message: 'time_expire must be a unix time in seconds in the future.' },

  // 401 / 403 / 404 — who is asking, and for what
  authentication_required: { type: 'authentication_error', httpStatus: 401, message: 'Send a secret key as `Authorization: Bearer sk_…` or as the HTTP Basic user name.' },
  api_key_invalid: { type: 'authentication_error', httpStatus: 401, message: 'The API key is not valid.' },
  key_not_allowed: { type: 'permission_error', httpStatus: 403, message: 'This key may not perform this request; use the app\'s secret key.' },
  livemode_mismatch: { type: 'permission_error', httpStatus: 403, message: 'Test keys act on test objects and live keys on live objects only.' },
  admin_login_invalid: { type: 'authentication_error', httpStatus: 401, message: 'Wrong user name or password.' },
  admin_session_required: { type: 'authentication_error', httpStatus: 401, message: 'Log in to the admin console first; the session may have expired.' },
  csrf_token_invalid: { type: 'permission_error', httpStatus: 403, message: 'A state-changing console request needs the session\'s X-CSRF-Token header.' },
  resource_not_found: { type: 'invalid_request_error', httpStatus: 404, message: 'No such object.' },
  route_not_found: { type: 'invalid_request_error', httpStatus: 404, message: 'No such route.' },

  // 409 / 422 — the request conflicts with the object's state
  order_no_in_use: { type: 'invalid_request_error', httpStatus: 409, message: 'This app already has a charge with this order_no.' },
  charge_state_invalid: { type: 'invalid_request_error', httpStatus: 409, message: 'The charge is not in a state that allows this operation.' },
  refund_amount_exceeded: { type: 'invalid_request_error', httpStatus: 409, message: 'The refund is more than the charge\'s remaining refundable amount.' },
  channel_has_pending_charges: { type: 'invalid_request_error', httpStatus: 409, message: 'The channel has pending charges; wait for them to finish or close them first.' },
  channel_disabled: { type: 'invalid_request_error', httpStatus: 409, message: 'The channel is disabled.' },
  operation_not_supported: { type: 'invalid_request_error', httpStatus: 409, message: 'The charge\'s channel does not support this operation.' },
  livemode_only_test: { type: 'invalid_request_error', httpStatus: 403, message: 'This operation is only available in test mode.' },
  idempotency_key_reused: { type: 'idempotency_error', httpStatus: 422, message: 'This Idempotency-Key was used with other parameters.' },
  idempotency_key_in_flight: { type: 'idempotency_error', httpStatus: 409, message: 'A request with this Idempotency-Key is still being processed.' },

  // 429
  rate_limited: { type: 'rate_limit_error', httpStatus: 429, message: 'Too many requests; slow down.' },

  // channel-side faults
  channel_request_failed: { type: 'channel_error', httpStatus: 502, message: 'The payment channel did not answer as expected.' },
  channel_declined: { type: 'channel_error', httpStatus: 402, message: 'The payment channel declined the request.' },
  notify_rejected: { type: 'channel_error', httpStatus: 400, message: 'The channel notification did not verify or did not match the charge.' },

  // 5xx — ours
  internal_error: { type: 'api_error', httpStatus: 500, message: 'paygate failed to process the request.' },
  configuration_error: { type: 'api_error', httpStatus: 500, message: 'paygate is misconfigured.' },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERRORS;

/** The error every layer throws for a registered code. */
export class PaygateError extends Error {
  readonly code: ErrorCode;
  readonly type: ErrorType;
  readonly httpStatus: number;
  readonly param: string | undefined;

  constructor(code: ErrorCode, options: { message?: string; param?: string; cause?: unknown } = {}) {
    const spec: ErrorSpec = ERRORS[code];
    super(options.message ?? spec.message, { cause: options.cause });
    this.name = 'PaygateError';
    this.code = code;
    this.type = spec.type;
    this.httpStatus = spec.httpStatus;
    this.param = options.param;
  }

  toJSON(): { error: { type: ErrorType; code: ErrorCode; message: string; param?: string } } {
    return { error: { type: this.type, code: this.code, message: this.message, ...(this.param ? { param: this.param } : {}) } };
  }
}

/** Throws a registered error. */
export function fail(code: ErrorCode, options?: { message?: string; param?: string; cause?: unknown }): never {
  throw new PaygateError(code, options);
}

export function isPaygateError(value: unknown): value is PaygateError {
  return value instanceof PaygateError;
}
