/**
 * Keyset pagination, newest first, for every list: `starting_after` / `ending_before` name an
 * object id; the page continues strictly after (older than) or before (newer than) it, ordered
 * by (created_at, id). Stable under inserts, and fast at any depth with the matching index.
 */
import { fail } from '../core/errors.js';
import type { ListParams } from './api-types.js';

export interface Page {
  readonly limit: number;
  readonly startingAfter?: string;
  readonly endingBefore?: string;
}

export function parsePage(params: ListParams, max = 100): Page {
  const raw = params.limit ?? 10;
  const limit = typeof raw === 'string' ? Number(raw) : raw;
  if (!Number.isInteger(limit) || limit < 1 || limit > max) fail('parameter_invalid', { param: 'limit', message: `limit must be an integer from 1 to ${max}.` });
  if (params.starting_after && params.ending_before) fail('parameter_invalid', { param: 'ending_before', message: 'Use starting_after or ending_before, not both.' });
  return { limit, startingAfter: params.starting_after || undefined, endingBefore: params.ending_before || undefined };
}
