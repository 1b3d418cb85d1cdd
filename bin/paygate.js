#!/usr/bin/env node
// The `paygate` command. Runs the compiled CLI; `npm ci` builds it through the `prepare` script.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const compiled = join(root, 'dist', 'cli', 'main.js');
if (!existsSync(compiled)) {
  console.error('paygate is not built yet: run `npm run build` (npm ci does it for you).');
  process.exit(1);
}
const { main } = await import(pathToFileURL(compiled).href);
await main(process.argv);
