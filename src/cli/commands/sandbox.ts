/**
 * `paygate sandbox <provider>`: a protocol sandbox on its own port, for integrations that want
 * to talk to "Alipay" or "WeChat Pay" without paygate in between. Each provider adds its
 * sub-command to `SANDBOX_SUBCOMMANDS` with a one-line edit.
 */
import type { Command } from 'commander';
import type { CommandRegistration } from './index.js';
import type { CliRuntime } from '../runtime.js';
import { sandboxAlipaySubcommand } from './sandbox-alipay.js';
import { sandboxWechatSubcommand } from './sandbox-wechat.js';

/** Adds one provider's sub-command under `paygate sandbox`. */
export type SandboxSubcommand = (sandbox: Command, cli: CliRuntime) => void;

export const SANDBOX_SUBCOMMANDS: SandboxSubcommand[] = [
  sandboxAlipaySubcommand,
  sandboxWechatSubcommand,
];

export const sandboxCommand: CommandRegistration = (program, cli) => {
  const sandbox = program
    .command('sandbox')
    .description('run a payment provider\'s protocol sandbox standalone (keys directory: see PRODUCT.md §6)');
  for (const add of SANDBOX_SUBCOMMANDS) add(sandbox, cli);
};

/** Resolves when SIGINT or SIGTERM arrives (a second one exits at once). */
export function untilStopped(cli: CliRuntime, stop: () => Promise<void>): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals): void => {
      if (stopping) process.exit(1);
      stopping = true;
      cli.print(`${signal}: stopping…`);
      stop().then(resolve, reject).finally(() => {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      });
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
