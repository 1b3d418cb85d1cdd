/**
 * Every `paygate` sub-command, one file each. To add a command: write `src/cli/commands/<name>.ts`
 * exporting a `CommandRegistration` (a function that adds the command to the program) and list it
 * below with a one-line edit. The order here is the order `paygate --help` shows.
 */
import type { Command } from 'commander';
import type { CliRuntime } from '../runtime.js';
import { serveCommand } from './serve.js';
import { migrateCommand } from './migrate.js';
import { appsCommand } from './apps.js';
import { channelsCommand } from './channels.js';
import { chargesCommand } from './charges.js';
import { sandboxCommand } from './sandbox.js';
import { workerCommand } from './worker.js';
import { listenCommand } from './listen.js';
import { triggerCommand } from './trigger.js';
import { eventsCommand } from './events.js';
import { adminsCommand } from './admins.js';

/**
 * Adds one command (with its sub-commands, options and help) to the root program. Actions use
 * `cli` for configuration, output and the engine (`withPaygate(cli, …)`) instead of `process`,
 * and throw to fail: a `ConfigError` exits 2, anything else exits 1 with its message.
 */
export type CommandRegistration = (program: Command, cli: CliRuntime) => void;

export const COMMANDS: readonly CommandRegistration[] = [
  serveCommand,
  migrateCommand,
  appsCommand,
  channelsCommand,
  chargesCommand,
  sandboxCommand,
  workerCommand,
  eventsCommand,
  triggerCommand,
  listenCommand,
  adminsCommand,
];
