/**
 * Server processes for the benchmarks: each server under test runs as its own child process, so
 * its peak RSS (`VmHWM` from /proc) is its own and not the load generator's.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface ServerProcess {
  readonly child: ChildProcess;
  /** What the readiness pattern captured (usually the base URL). */
  readonly captured: string;
  /** Everything the process printed so far. */
  output(): string;
  /** Peak resident set size in MiB since the process started. */
  peakRssMiB(): number;
  /** SIGTERM, then wait for exit (SIGKILL after 10 s). */
  stop(): Promise<number | null>;
}

/** Starts `node args…` and resolves once its output matches `ready` (first group captured). */
export function startServerProcess(args: readonly string[], env: Record<string, string>, ready: RegExp, timeoutMs = 60_000): Promise<ServerProcess> {
  const child = spawn(process.execPath, [...args], { cwd: process.cwd(), env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const collect = (chunk: Buffer): void => { out += chunk.toString(); };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`${args.join(' ')} did not become ready:\n${out}`)); }, timeoutMs);
    const onExit = (code: number | null): void => { clearTimeout(timer); reject(new Error(`${args.join(' ')} exited with ${code}:\n${out}`)); };
    child.once('exit', onExit);
    child.stdout!.on('data', function check() {
      const match = ready.exec(out);
      if (!match) return;
      child.stdout!.off('data', check);
      child.off('exit', onExit);
      clearTimeout(timer);
      resolve({
        child,
        captured: match[1] ?? match[0],
        output: () => out,
        peakRssMiB: () => peakRssMiB(child.pid!),
        stop: () => stopProcess(child),
      });
    });
  });
}

function peakRssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /VmHWM:\s+(\d+) kB/.exec(status);
  if (!match) throw new Error(`no VmHWM in /proc/${pid}/status`);
  return Number(match[1]) / 1024;
}

function stopProcess(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', (code) => { clearTimeout(killer); resolve(code); });
    child.kill('SIGTERM');
  });
}
