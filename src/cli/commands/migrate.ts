/** `paygate migrate`: applies pending database migrations to DATABASE_URL. Safe to repeat. */
import type { CommandRegistration } from './index.js';
import { openDatabase, redactUrl } from '../../store/database.js';
import { migrateToLatest } from '../../store/migrate.js';

export const migrateCommand: CommandRegistration = (program, cli) => {
  program
    .command('migrate')
    .description('apply pending database migrations to DATABASE_URL (safe to repeat; serve also does it)')
    .option('--json', 'print the applied migrations as JSON')
    .action(async (options: { json?: boolean }) => {
      const config = cli.config();
      const database = openDatabase(config.databaseUrl);
      try {
        const applied = await migrateToLatest(database);
        if (options.json) cli.printJson({ database: redactUrl(config.databaseUrl), applied });
        else if (applied.length === 0) cli.print(`${redactUrl(config.databaseUrl)}: already up to date`);
        else cli.print(`${redactUrl(config.databaseUrl)}: applied ${applied.join(', ')}`);
      } finally {
        await database.close();
      }
    });
};
