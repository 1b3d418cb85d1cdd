/**
 * Alipay writes every time as `yyyy-MM-dd HH:mm:ss` in Beijing time (UTC+8, no daylight
 * saving), whatever the server's own time zone is.
 */

const BEIJING_OFFSET_MS = 8 * 60 * 60 * 1000;
const PATTERN = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

/** Unix ms → `2016-04-01 00:00:00` (Beijing time). */
export function formatAlipayTime(ms: number): string {
  const d = new Date(ms + BEIJING_OFFSET_MS);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** `2016-04-01 00:00:00` (Beijing time) → unix ms; undefined when malformed. */
export function parseAlipayTime(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const m = PATTERN.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const ms = Date.UTC(year, month - 1, day, hour, minute, second) - BEIJING_OFFSET_MS;
  // Reject 2016-02-31 and the like instead of rolling them over.
  return formatAlipayTime(ms) === text ? ms : undefined;
}
