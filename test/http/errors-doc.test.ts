/** `docs/errors.md` lists every registered error code with its status and type (Fastify-style). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERRORS, type ErrorCode } from '../../src/core/errors.js';

const doc = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
const rows = new Map<string, string[]>();
for (const line of doc.split('\n')) {
  const cells = line.split('|').map((c) => c.trim());
  const code = /^`([a-z_]+)`$/.exec(cells[1] ?? '')?.[1];
  if (code && /^\d{3}$/.test(cells[2] ?? '')) rows.set(code, cells.slice(1, -1));
}

describe('docs/errors.md', () => {
  it.each(Object.keys(ERRORS) as ErrorCode[])('documents %s with its status and type', (code) => {
    const row = rows.get(code);
    expect(row, `${code} is missing from docs/errors.md`).toBeDefined();
    expect(row![1]).toBe(String(ERRORS[code].httpStatus));
    expect(row![2]).toBe(ERRORS[code].type);
    expect(row![3]!.length, `${code} needs a "when"`).toBeGreaterThan(10);
    expect(row![4]!.length, `${code} needs a "what to do"`).toBeGreaterThan(5);
  });

  it('documents no code that the registry does not have', () => {
    const stale = [...rows.keys()].filter((code) => !(code in ERRORS));
    expect(stale).toEqual([]);
  });
});
