/**
 * Short-lived caches of the two reads every API request makes: which app an API key belongs to,
 * and which channels an app has (the channels cache also holds the channel a notify URL names,
 * under `id:<channel id>`). A change made through this process clears them at once; another
 * process sharing the database sees it within the TTL (seconds), which the docs state.
 */
import type { Clock } from '../core/clock.js';

export class LookupCache<V> {
  private readonly entries = new Map<string, { value: V; expires: number }>();

  constructor(private readonly clock: Clock, private readonly ttlMs: number, private readonly capacity = 10_000) {}

  async get(key: string, load: () => Promise<V>): Promise<V> {
    const now = this.clock.now();
    const hit = this.entries.get(key);
    if (hit && hit.expires > now) return hit.value;
    const value = await load();
    if (this.entries.size >= this.capacity) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, { value, expires: now + this.ttlMs });
    return value;
  }

  clear(): void {
    this.entries.clear();
  }
}

export const KEY_CACHE_TTL_MS = 5_000;
export const CHANNEL_CACHE_TTL_MS = 2_000;
