/**
 * `paygate apps create|list`. `apps create --name N --json` prints the new app's id and its four
 * keys (shown once: paygate stores only their hashes), so a script can start from an empty database.
 */
import type { CommandRegistration } from './index.js';
import { withPaygate } from '../runtime.js';
import { formatTable, formatTime } from '../format.js';

export const appsCommand: CommandRegistration = (program, cli) => {
  const apps = program.command('apps').description('create and list apps (tenants) and their API keys');

  apps
    .command('create')
    .description('create an app and print its id and API keys (the keys are shown only this once)')
    .requiredOption('--name <name>', 'the app\'s name (1 to 100 characters)')
    .option('--json', 'print {id, name, test_secret_key, live_secret_key, test_publishable_key, live_publishable_key} as JSON')
    .action(async (options: { name: string; json?: boolean }) => {
      const { app, keys } = await withPaygate(cli, ({ paygate }) => paygate.apps.create({ name: options.name }));
      if (options.json) {
        cli.printJson({ id: app.id, name: app.name, ...keys });
        return;
      }
      cli.print(`Created app ${app.id} "${app.name}". Store these keys now; paygate keeps only their hashes.`);
      cli.print(formatTable([
        ['test secret key', keys.test_secret_key],
        ['test publishable key', keys.test_publishable_key],
        ['live secret key', keys.live_secret_key],
        ['live publishable key', keys.live_publishable_key],
      ]));
    });

  apps
    .command('list')
    .description('list every app with its payment readiness')
    .option('--json', 'print the app objects as JSON')
    .action(async (options: { json?: boolean }) => {
      const list = await withPaygate(cli, ({ paygate }) => paygate.apps.list());
      if (options.json) return cli.printJson(list);
      if (list.length === 0) return cli.print('No apps yet: create one with `paygate apps create --name NAME`.');
      cli.print(formatTable([
        ['ID', 'NAME', 'TEST READY', 'LIVE READY', 'CREATED'],
        ...list.map((app) => [app.id, app.name, yesNo(app.payment_ready.test), yesNo(app.payment_ready.live), formatTime(app.created)]),
      ]));
    });
};

function yesNo(value: boolean): string {
  return value ? 'yes' : 'no';
}
