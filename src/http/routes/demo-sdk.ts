/**
 * Serves the browser SDK (`packages/js`) to the `/demo` page as ES modules. The compiled
 * `packages/js/dist` is used when it exists (`npx tsc -p packages/js/tsconfig.json`); otherwise
 * the TypeScript sources are transpiled once, in memory, with the `typescript` compiler a
 * development install has — so `npm ci && npm start` shows the demo without another build step.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The SDK's modules, by file name: nothing else is ever read from disk. */
export const SDK_MODULES = ['index', 'types', 'http', 'charges', 'watch', 'pay', 'vue-mixin'] as const;

// src/http/routes and dist/http/routes both sit three levels below the repository root.
const PACKAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'packages', 'js');

interface Transpiler {
  transpileModule(input: string, options: { compilerOptions: Record<string, unknown> }): { outputText: string };
}

const cache = new Map<string, string>();

/** The JavaScript of one SDK module, or undefined when neither a build nor the sources are there. */
export async function sdkModule(name: string): Promise<string | undefined> {
  if (!(SDK_MODULES as readonly string[]).includes(name)) return undefined;
  const cached = cache.get(name);
  if (cached !== undefined) return cached;
  const built = join(PACKAGE_DIR, 'dist', `${name}.js`);
  const source = join(PACKAGE_DIR, 'src', `${name}.ts`);
  // A build older than its source (edited since) is not used.
  const useBuild = existsSync(built) && (!existsSync(source) || statSync(built).mtimeMs >= statSync(source).mtimeMs);
  let code: string | undefined;
  if (useBuild) code = readFileSync(built, 'utf8');
  else {
    if (!existsSync(source)) return undefined;
    const ts = await import('typescript').then((m) => (m.default ?? m) as unknown as Transpiler).catch(() => undefined);
    code = ts?.transpileModule(readFileSync(source, 'utf8'), { compilerOptions: { target: 7 /* ES2020 */, module: 99 /* ESNext */ } }).outputText;
    if (code === undefined) return existsSync(built) ? readFileSync(built, 'utf8') : undefined;
  }
  cache.set(name, code);
  return code;
}
