/**
 * `access_token` and `jsapi_ticket` are rate-limited at WeChat and a new access_token retires
 * the previous one, so paygate keeps each until shortly before it expires and lets only one
 * refresh run at a time per key: concurrent callers wait for the same fetch.
 */

export interface Fetched {
  readonly value: string;
  /** Seconds, as WeChat states it (`expires_in`). */
  readonly expiresIn: number;
}

/** Refresh this long before WeChat's stated expiry, so a value is never used at its last second. */
export const EXPIRY_MARGIN_MS = 5 * 60_000;

export class TokenCache {
  private readonly entries = new Map<string, { value: string; expiresAt: number }>();
  private readonly inflight = new Map<string, Promise<string>>();
  /** Fetches made, per key (tests check single-flight with it). */
  readonly fetches = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  async get(key: string, fetch: () => Promise<Fetched>): Promise<string> {
    const cached = this.entries.get(key);
    if (cached && cached.expiresAt > this.now()) return cached.value;
    const running = this.inflight.get(key);
    if (running) return running;
    const started = (async () => {
      this.fetches.set(key, (this.fetches.get(key) ?? 0) + 1);
      const fetched = await fetch();
      const lifetime = Math.max(fetched.expiresIn * 1000 - EXPIRY_MARGIN_MS, Math.min(fetched.expiresIn * 1000, 60_000));
      this.entries.set(key, { value: fetched.value, expiresAt: this.now() + lifetime });
      return fetched.value;
    })().finally(() => this.inflight.delete(key));
    this.inflight.set(key, started);
    return started;
  }

  /** Forgets a value WeChat no longer accepts (40001, 42001). */
  invalidate(key: string, value?: string): void {
    const cached = this.entries.get(key);
    if (cached && (value === undefined || cached.value === value)) this.entries.delete(key);
  }
}
