/**
 * The event types paygate emits (PRODUCT.md §4) and the patterns an endpoint may subscribe
 * with: an exact type, `charge.*` (a family) or `*` (everything, including types added later).
 */
export const EVENT_TYPES = [
  'charge.created', 'charge.pending', 'charge.secured_paid', 'charge.shipped', 'charge.succeeded', 'charge.closed',
  'refund.succeeded', 'refund.failed', 'channel.enabled',
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

const FAMILIES = new Set(EVENT_TYPES.map((type) => type.split('.')[0]!));

/** Whether `pattern` is something an endpoint may subscribe with; returns the problem in words. */
export function checkEventPattern(pattern: string): string | undefined {
  if (pattern === '*') return undefined;
  if (pattern.endsWith('.*') && FAMILIES.has(pattern.slice(0, -2))) return undefined;
  if ((EVENT_TYPES as readonly string[]).includes(pattern)) return undefined;
  return `"${pattern}" is not an event type; use one of ${EVENT_TYPES.join(', ')}, a family like charge.*, or *`;
}

/** Whether an event type is covered by any of the patterns. */
export function matchesEventType(patterns: readonly string[], type: string): boolean {
  return patterns.some((pattern) => pattern === '*' || pattern === type || (pattern.endsWith('.*') && type.startsWith(pattern.slice(0, -1))));
}
