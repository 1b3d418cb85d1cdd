/**
 * WeChat Pay's time formats, always in China Standard Time (UTC+8, no daylight saving):
 * v2 `yyyyMMddHHmmss` (`time_expire`, `time_end`), v3 RFC 3339 with `+08:00`
 * (`time_expire`, `success_time`). Pure functions of unix milliseconds.
 */

const CST_OFFSET_MS = 8 * 3600 * 1000;

function cstParts(ms: number): { y: string; mo: string; d: string; h: string; mi: string; s: string } {
  const date = new Date(Math.floor(ms / 1000) * 1000 + CST_OFFSET_MS);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return {
    y: pad(date.getUTCFullYear(), 4),
    mo: pad(date.getUTCMonth() + 1),
    d: pad(date.getUTCDate()),
    h: pad(date.getUTCHours()),
    mi: pad(date.getUTCMinutes()),
    s: pad(date.getUTCSeconds()),
  };
}

/** 1700000000000 → `20231115062000`. */
export function toV2Time(ms: number): string {
  const p = cstParts(ms);
  return `${p.y}${p.mo}${p.d}${p.h}${p.mi}${p.s}`;
}

/** 1700000000000 → `2023-11-15T06:13:20+08:00`. */
export function toV3Time(ms: number): string {
  const p = cstParts(ms);
  return `${p.y}-${p.mo}-${p.d}T${p.h}:${p.mi}:${p.s}+08:00`;
}

function fromCst(y: number, mo: number, d: number, h: number, mi: number, s: number): number | undefined {
  const ms = Date.UTC(y, mo - 1, d, h, mi, s) - CST_OFFSET_MS;
  // Date.UTC rolls 31 February over into March; a real timestamp round-trips.
  const back = new Date(ms + CST_OFFSET_MS);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || back.getUTCHours() !== h || back.getUTCMinutes() !== mi || back.getUTCSeconds() !== s) return undefined;
  return ms;
}

/** `20231115062000` → unix ms, or undefined when it is not a real v2 time. */
export function parseV2Time(text: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(text);
  if (!m) return undefined;
  return fromCst(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
}

/** An RFC 3339 time with an explicit offset (`…+08:00`, `…Z`) → unix ms. */
export function parseV3Time(text: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/.exec(text);
  if (!m) return undefined;
  const local = fromCst(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
  if (local === undefined) return undefined;
  const zone = m[7];
  const offsetMinutes = zone === 'Z' ? 0 : (zone.startsWith('-') ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
  // `local` treated the clock reading as UTC+8; move it to the stated offset.
  return local + CST_OFFSET_MS - offsetMinutes * 60_000;
}
