/**
 * Keyset pagination, newest first, for every list: `starting_after` / `ending_before` name an
 * object id; the page continues strictly after (older than) or before (newer than) it, ordered
 * by (created_at, id). Stable under inserts, and fast at any depth with the matching index.
 */
import { fail } from '../core/errors.js';
import type { SelectQueryBuilder } from 'kysely';
import type { Schema } from '../store/schema.js';
import type { ChargeRow } from './charge-object.js';
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


type ChargeQuery = SelectQueryBuilder<Schema, 'charges', ChargeRow>;

/**
 * One keyset page of charges, newest first, after (or before) the page's cursor charge.
 * `findCursor` looks the cursor id up only where it may be (the same app or channel), so a
 * cursor from elsewhere is a 404 rather than a silent jump.
 */
export async function pageOfCharges(query: ChargeQuery, page: Page, findCursor: (id: string) => Promise<{ created_at: number; id: string } | undefined>): Promise<{ rows: ChargeRow[]; hasMore: boolean }> {
  const cursorId = page.startingAfter ?? page.endingBefore;
  if (cursorId) {
    const cursor = await findCursor(cursorId);
    if (!cursor) fail('resource_not_found', { param: page.startingAfter ? 'starting_after' : 'ending_before', message: `No such object: ${cursorId}` });
    query = page.startingAfter
      ? query.where((eb) => eb.or([eb('created_at', '<', cursor.created_at), eb.and([eb('created_at', '=', cursor.created_at), eb('id', '<', cursor.id)])]))
      : query.where((eb) => eb.or([eb('created_at', '>', cursor.created_at), eb.and([eb('created_at', '=', cursor.created_at), eb('id', '>', cursor.id)])]));
  }
  const ascending = Boolean(page.endingBefore);
  let rows = await query.orderBy('created_at', ascending ? 'asc' : 'desc').orderBy('id', ascending ? 'asc' : 'desc').limit(page.limit + 1).execute();
  const hasMore = rows.length > page.limit;
  rows = rows.slice(0, page.limit);
  if (ascending) rows.reverse();
  return { rows, hasMore };
}
