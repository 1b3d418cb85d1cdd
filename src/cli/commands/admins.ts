/**
 * `paygate admins list|reset-password`: the console's operators, from the machine paygate runs
 * on. An operator who forgot the password (or a deployment whose first password was lost with
 * the terminal it was printed in) resets it here; nothing else can, since paygate never keeps a
 * password it could show again.
 */
import type { CommandRegistration } from './index.js';
import { withPaygate } from '../runtime.js';
import { formatTable, formatTime } from '../format.js';
import { FIRST_ADMIN_USERNAME, listAdminUsers, resetAdminPassword } from '../../engine/admin/admin-users.js';

export const adminsCommand: CommandRegistration = (program, cli) => {
  const admins = program.command('admins').description('list the admin console\'s operators and reset a forgotten password');

  admins
    .command('list')
    .description('list the console\'s operators and when each last logged in')
    .option('--json', 'print [{id, username, created, last_login}] as JSON')
    .action(async (options: { json?: boolean }) => {
      const users = await withPaygate(cli, ({ paygate }) => listAdminUsers(paygate.deps));
      if (options.json) return cli.printJson(users);
      if (users.length === 0) return cli.print('No operators yet: `paygate serve` creates the first one on its first start.');
      cli.print(formatTable([
        ['USERNAME', 'ID', 'CREATED', 'LAST LOGIN'],
        ...users.map((u) => [u.username, u.id, formatTime(u.created), u.last_login === null ? 'never' : formatTime(u.last_login)]),
      ]));
    });

  admins
    .command('reset-password')
    .description('set a new password for an operator, end their sessions and lift a login lock; '
      + 'the password is PAYGATE_ADMIN_PASSWORD when set, else generated and printed once')
    .option('--username <name>', 'the operator', FIRST_ADMIN_USERNAME)
    .option('--json', 'print {username, password} as JSON (password only when generated)')
    .action(async (options: { username: string; json?: boolean }) => {
      // From the environment, not an argument: an argument would stay in the shell's history.
      const fromEnv = cli.env.PAYGATE_ADMIN_PASSWORD;
      const reset = await withPaygate(cli, ({ paygate }) => resetAdminPassword(paygate.deps, options.username, fromEnv || undefined));
      if (options.json) return cli.printJson({ username: reset.username, ...(reset.generatedPassword ? { password: reset.generatedPassword } : {}) });
      cli.print(`The password of ${reset.username} was reset; their console sessions have ended.`);
      cli.print(reset.generatedPassword
        ? `New password (shown only this once): ${reset.generatedPassword}`
        : 'The new password is the one in PAYGATE_ADMIN_PASSWORD.');
    });
};
