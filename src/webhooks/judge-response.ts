/**
 * What counts as delivered (PRODUCT.md §4): a 2xx answer within the deadline and, where the
 * destination requires it (always for a `notify_url`, opt-in for endpoints), the body `SUCCESS`
 * — trimmed, any case. Anything else is a failed attempt, described so an operator knows what
 * the receiver must change.
 */
import type { WebhookResponse } from './http-sender.js';

/** How much of an answer is kept with the attempt. */
export const EXCERPT_CHARS = 300;

export interface Judgement {
  readonly succeeded: boolean;
  readonly error: string | null;
  readonly excerpt: string | null;
}

export function excerptOf(body: string | null): string | null {
  if (body === null) return null;
  return body.length > EXCERPT_CHARS ? `${body.slice(0, EXCERPT_CHARS)}…` : body;
}

export function judgeResponse(response: WebhookResponse, requireSuccessBody: boolean): Judgement {
  const excerpt = excerptOf(response.body);
  if (response.error !== null || response.status === null) return { succeeded: false, error: response.error ?? 'no answer', excerpt };
  const status = response.status;
  if (status >= 300 && status < 400) {
    return { succeeded: false, excerpt, error: `answered ${status}${response.location ? ` (redirect to ${response.location})` : ''}; redirects are not followed: point the endpoint at the final URL` };
  }
  if (status < 200 || status >= 300) return { succeeded: false, excerpt, error: `answered ${status}; only a 2xx answer counts as received` };
  if (requireSuccessBody && (response.body ?? '').trim().toUpperCase() !== 'SUCCESS') {
    const got = (response.body ?? '').trim();
    return { succeeded: false, excerpt, error: `answered ${status} with ${got ? `"${got.slice(0, 40)}${got.length > 40 ? '…' : ''}"` : 'an empty body'}; this destination must answer with the body SUCCESS once it has processed the event` };
  }
  return { succeeded: true, error: null, excerpt };
}
