/**
 * The sandboxes' notify retry schedules as text (`4m,10m,1h`), in milliseconds. Each sandbox
 * has the provider's real schedule as its default; `PAYGATE_SANDBOX_RETRY_SCHEDULE` compresses
 * it (tests use `1s,1s`).
 */

/** `4m,10m,1h` → milliseconds; units ms, s, m, h. */
export function parseSchedule(text: string): number[] {
  return text.split(',').map((part) => part.trim()).filter(Boolean).map((part) => {
    const m = /^(\d+)(ms|s|m|h)$/.exec(part);
    if (!m) throw new Error(`retry schedule entry "${part}" must look like 500ms, 30s, 4m or 2h`);
    return Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
  });
}

/** The schedule the environment asks for, or the provider's own. */
export function scheduleFromEnv(providerDefault: string, env: NodeJS.ProcessEnv = process.env): number[] {
  return parseSchedule(env.PAYGATE_SANDBOX_RETRY_SCHEDULE || providerDefault);
}
