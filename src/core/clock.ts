/** Time comes from a clock passed in, so the core and the engine can be tested at any instant. */
export interface Clock {
  /** Milliseconds since the unix epoch. */
  now(): number;
}

export const systemClock: Clock = Object.freeze({ now: () => Date.now() });

export function unixSeconds(ms: number): number {
  return Math.floor(ms / 1000);
}

/** A clock a test can move. */
export function manualClock(startMs = Date.UTC(2026, 0, 1)): Clock & { advance(ms: number): void; set(ms: number): void } {
  let current = startMs;
  return { now: () => current, advance: (ms) => { current += ms; }, set: (ms) => { current = ms; } };
}
