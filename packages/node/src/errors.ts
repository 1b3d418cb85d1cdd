/**
 * Errors of the SDK, shaped like paygate's wire errors (`{type, code, message, param}`) so code
 * can branch on `code` and show `message`, which says what to fix.
 */

/** An error answer of the paygate API. */
export class PaygateApiError extends Error {
  readonly type: string;
  readonly code: string;
  readonly param: string | undefined;
  readonly statusCode: number;
  readonly requestId: string | undefined;

  constructor(statusCode: number, body: { type?: string; code?: string; message?: string; param?: string }, requestId?: string) {
    super(body.message ?? `paygate answered HTTP ${statusCode}`);
    this.name = 'PaygateApiError';
    this.type = body.type ?? 'api_error';
    this.code = body.code ?? 'unknown';
    this.param = body.param;
    this.statusCode = statusCode;
    this.requestId = requestId;
  }
}

/** paygate could not be reached, or answered something that is not paygate's JSON. */
export class PaygateConnectionError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PaygateConnectionError';
  }
}

/** Why a webhook signature did not verify; `reason` is stable for code, the message is for people. */
export type SignatureFailure = 'raw_body_required' | 'header_missing' | 'header_malformed' | 'secret_invalid' | 'timestamp_outside_tolerance' | 'no_matching_signature' | 'payload_not_json';

export class WebhookSignatureError extends Error {
  readonly reason: SignatureFailure;
  constructor(reason: SignatureFailure, message: string) {
    super(message);
    this.name = 'WebhookSignatureError';
    this.reason = reason;
  }
}
