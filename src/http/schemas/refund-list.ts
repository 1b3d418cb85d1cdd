/**
 * Paging of a charge's refunds. A charge has a handful of refunds at most (each one takes part of
 * a finite amount), so the page is cut from the full, newest-first list.
 */
import { Type, type Static } from '@sinclair/typebox';
import { fail } from '../../core/errors.js';
import type { ListObject } from '../../engine/api-types.js';
import { Pagination } from './common.js';

export const RefundListQuery = Type.Object({ ...Pagination }, { additionalProperties: false });
export type RefundListQuery = Static<typeof RefundListQuery>;

export function pageOf<T extends { id: string }>(items: readonly T[], query: RefundListQuery, url: string): ListObject<T> {
  const limit = query.limit ?? 10;
  if (query.starting_after && query.ending_before) fail('parameter_invalid', { param: 'ending_before', message: 'Use starting_after or ending_before, not both.' });
  let start = 0;
  let end = items.length;
  const cursor = query.starting_after ?? query.ending_before;
  if (cursor) {
    const at = items.findIndex((item) => item.id === cursor);
    if (at === -1) fail('resource_not_found', { param: query.starting_after ? 'starting_after' : 'ending_before', message: `No such object in this list: ${cursor}` });
    if (query.starting_after) start = at + 1;
    else end = at;
  }
  const slice = query.ending_before ? items.slice(Math.max(start, end - limit), end) : items.slice(start, start + limit);
  const hasMore = query.ending_before ? end - limit > start : start + limit < end;
  return { object: 'list', url, has_more: hasMore, data: [...slice] };
}
