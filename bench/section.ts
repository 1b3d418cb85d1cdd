/**
 * The shape of one part of `npm run bench`. Each section measures something and returns a
 * Markdown block for docs/benchmarks.md plus the targets it missed. `run.ts` runs every section in
 * `BENCH_SECTIONS` (sections.ts) and, when present, the channel engineers' `bench/alipay-notify.ts`
 * and `bench/wechat-notify.ts`, which export `benchmark: BenchSection`.
 */

export interface BenchContext {
  /** Concurrent connections of load (64 unless `--connections`). */
  readonly connections: number;
  /** Seconds of each timed run, and of the warm-up before it. */
  readonly durationSeconds: number;
  readonly warmupSeconds: number;
  /** A PostgreSQL URL the bench may create and drop databases through; undefined: skip PostgreSQL. */
  readonly pgAdminUrl: string | undefined;
  /** The build of paygate to run (`--dist DIR`, default `dist`): compare two builds without switching trees. */
  readonly dist: string;
  /** Which databases to measure (`--dialects sqlite,postgres`, both by default). */
  readonly dialects: readonly ('sqlite' | 'postgres')[];
  /** Progress to stderr. */
  log(line: string): void;
}

export interface BenchSectionResult {
  readonly title: string;
  /** Markdown body (tables, notes), without the title. */
  readonly markdown: string;
  /** One line per missed target, in words; empty when every target was met. */
  readonly missed: readonly string[];
  /** Raw figures, written to bench/results/latest.json. */
  readonly data?: unknown;
}

export interface BenchSection {
  readonly name: string;
  run(ctx: BenchContext): Promise<BenchSectionResult>;
}

/** `12.3` → "12.3"; figures are rounded for the report only. */
export function fixed(value: number, digits = 1): string {
  return value.toFixed(digits);
}
