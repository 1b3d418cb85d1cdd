import { describe, expect, it } from 'vitest';
import type { Command } from 'commander';
import { buildProgram } from '../../src/cli/main.js';
import { runCli } from './support.js';

function walk(command: Command, path: string[] = []): { path: string[]; command: Command }[] {
  return command.commands.flatMap((sub) => [{ path: [...path, sub.name()], command: sub }, ...walk(sub, [...path, sub.name()])]);
}

const silent = { env: {}, cwd: process.cwd(), stdout: () => undefined, stderr: () => undefined };
const commands = walk(buildProgram(silent));

describe('paygate --help', () => {
  it('lists the documented commands', () => {
    const names = commands.map((c) => c.path.join(' '));
    for (const expected of ['serve', 'migrate', 'apps create', 'apps list', 'channels list', 'channels create', 'charges list', 'charges get']) {
      expect(names).toContain(expected);
    }
  });

  it.each(commands.map((c) => [c.path.join(' '), c] as const))('%s --help describes the command and each of its options', async (_name, { path, command }) => {
    expect(command.description().length).toBeGreaterThan(10);
    for (const option of command.options) expect(option.description.length, `${path.join(' ')} ${option.flags}`).toBeGreaterThan(5);
    const result = await runCli([...path, '--help'], {});
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Usage: paygate ${path.join(' ')}`);
    for (const option of command.options) expect(result.stdout).toContain(option.long ?? option.flags);
  });

  it('prints the root help when run with no arguments', async () => {
    const result = await runCli([], {});
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: paygate [options] [command]');
  });

  it('rejects an unknown command with a hint', async () => {
    const result = await runCli(['frobnicate'], {});
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("unknown command 'frobnicate'");
  });
});
