/**
 * `npm run bench`: builds paygate (the script does), then runs every benchmark section on this
 * machine in one go and prints a Markdown report. `--write-docs` also puts the report into
 * docs/benchmarks.md between its result markers; figures go to bench/results/latest.json.
 *
 * `npm run bench -- --help` lists the options.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import type { BenchContext, BenchSection, BenchSectionResult } from './section.js';
import { BENCH_SECTIONS, OPTIONAL_SECTION_MODULES } from './sections.js';
import { postgresAnswers, query } from './support/databases.js';

const usage = (sections: readonly string[]): string => `Usage: npm run bench -- [options]

Runs every benchmark section on this machine and prints a Markdown report.

Options:
  --duration S       seconds each timed load runs (default 10); the notify sections ingest
                     max(2000, S × 800) notifies, the webhook section dispatches max(1000, S × 200) events
  --warmup S         seconds of load before each timed run (default 3)
  --connections N    connections or requests in flight (default 64)
  --dialects LIST    sqlite, postgres or both (default sqlite,postgres)
  --only NAME        one section: ${sections.join(', ')}
  --dist DIR         the build to run (default dist)
  --write-docs       also put the report into docs/benchmarks.md
  --help             this text

PostgreSQL: PAYGATE_BENCH_DATABASE_URL, else PAYGATE_TEST_DATABASE_URL, else
postgres://postgres@127.0.0.1:5432/test (databases are created and dropped through it).`;

const DOCS = 'docs/benchmarks.md';
const BEGIN = '<!-- bench:results:begin -->';
const END = '<!-- bench:results:end -->';

async function optionalSections(): Promise<BenchSection[]> {
  const found: BenchSection[] = [];
  for (const name of OPTIONAL_SECTION_MODULES) {
    const file = new URL(`./${name}.ts`, import.meta.url);
    if (!existsSync(file)) continue;
    const module = (await import(file.href)) as { benchmark?: BenchSection };
    if (module.benchmark) found.push(module.benchmark);
    else console.error(`bench/${name}.ts does not export \`benchmark: BenchSection\`; skipped`);
  }
  return found;
}

async function postgresVersion(pgUrl: string | undefined): Promise<string> {
  if (pgUrl && (await postgresAnswers(pgUrl))) return (await query(pgUrl, 'show server_version'))[0]?.server_version ?? '?';
  return 'not reachable';
}

function machine(postgres: string, loadAtStart: number): string {
  const cpu = cpus();
  // The load average says how busy the machine was with other work: figures from a busy machine are low.
  return `${cpu.length} × ${cpu[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, PostgreSQL ${postgres}, ${new Date().toISOString().slice(0, 10)}, 1-minute load average ${loadAtStart.toFixed(1)} at the start and ${loadavg()[0]!.toFixed(1)} at the end`;
}

/** One section's block in docs/benchmarks.md, delimited so a later run can replace it alone. */
function sectionBlock(name: string, result: BenchSectionResult, conditions: string, command: string): string {
  return [
    `<!-- section:${name} -->`,
    `### ${result.title}`,
    '',
    `Measured ${conditions} with \`${command}\`.`,
    '',
    result.markdown,
    '',
    result.missed.length === 0 ? 'All targets met.' : `Targets missed:\n${result.missed.map((m) => `- ${m}`).join('\n')}`,
    `<!-- /section:${name} -->`,
  ].join('\n');
}

/** Replaces each section's block in docs/benchmarks.md (or adds it at the end of the results). */
function writeDocs(blocks: ReadonlyMap<string, string>): void {
  let text = existsSync(DOCS) ? readFileSync(DOCS, 'utf8') : `# Benchmarks\n\n${BEGIN}\n${END}\n`;
  if (!text.includes(BEGIN) || !text.includes(END)) throw new Error(`${DOCS} has no ${BEGIN} … ${END} markers`);
  for (const [name, block] of blocks) {
    const open = `<!-- section:${name} -->`;
    const close = `<!-- /section:${name} -->`;
    const start = text.indexOf(open);
    const end = text.indexOf(close);
    text = start >= 0 && end > start
      ? `${text.slice(0, start)}${block}${text.slice(end + close.length)}`
      : text.replace(END, `${block}\n\n${END}`);
  }
  writeFileSync(DOCS, text);
}

function parseDialects(text: string): ('sqlite' | 'postgres')[] {
  const names = text.split(',').map((s) => s.trim());
  for (const name of names) if (name !== 'sqlite' && name !== 'postgres') throw new Error(`--dialects takes sqlite and/or postgres (got "${name}")`);
  return names as ('sqlite' | 'postgres')[];
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '3' },
      connections: { type: 'string', default: '64' },
      only: { type: 'string' },
      dialects: { type: 'string', default: 'sqlite,postgres' },
      dist: { type: 'string', default: 'dist' },
      'write-docs': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  const known = [...BENCH_SECTIONS, ...(await optionalSections())];
  if (values.help) {
    console.log(usage(known.map((s) => s.name)));
    return 0;
  }
  if (values.only && !known.some((s) => s.name === values.only)) throw new Error(`--only takes one of ${known.map((s) => s.name).join(', ')} (got "${values.only}")`);
  if (!existsSync(`${values.dist}/cli/main.js`)) throw new Error(`${values.dist}/cli/main.js is missing: run \`npm run bench\` (it builds dist/ first) or \`npm run build\``);
  const pgAdminUrl = process.env.PAYGATE_BENCH_DATABASE_URL ?? process.env.PAYGATE_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const ctx: BenchContext = {
    connections: Number(values.connections), durationSeconds: Number(values.duration), warmupSeconds: Number(values.warmup),
    pgAdminUrl, dist: values.dist, dialects: parseDialects(values.dialects), log: (line) => console.error(`[bench] ${line}`),
  };
  const sections = known.filter((s) => !values.only || s.name === values.only);
  const postgres = await postgresVersion(pgAdminUrl);
  const passed = process.argv.slice(2).filter((arg) => arg !== '--write-docs');
  const command = `npm run bench${passed.length > 0 ? ` -- ${passed.join(' ')}` : ''}`;
  const results: BenchSectionResult[] = [];
  const blocks = new Map<string, string>();
  for (const section of sections) {
    ctx.log(`section ${section.name}`);
    const loadAtStart = loadavg()[0]!;
    const result = await section.run(ctx);
    results.push(result);
    const block = sectionBlock(section.name, result, machine(postgres, loadAtStart), command);
    blocks.set(section.name, block);
    console.log(`${block}\n`);
  }
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/latest.json', JSON.stringify(results.map((r) => ({ title: r.title, missed: r.missed, data: r.data })), null, 2));
  if (values['write-docs']) writeDocs(blocks);
  return results.some((r) => r.missed.length > 0) ? 1 : 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().then((code) => { process.exitCode = code; }, (error: unknown) => {
    console.error(error);
    process.exitCode = 2;
  });
}
