/**
 * The console's lines in `paygate serve`'s startup message: where the console is, who logs in,
 * and, on the first start only, the generated password (printed this once, never stored in clear).
 */
import type { StartupNote } from '../../cli/banner.js';
import { adminConsoleFor } from '../../engine/admin/admin-console.js';

export const adminStartupNote: StartupNote = async ({ paygate, baseUrl }) => {
  const envPassword = process.env.PAYGATE_ADMIN_PASSWORD;
  const first = await adminConsoleFor(paygate).firstAdmin(envPassword);
  const lines = [`Admin console: ${baseUrl}/admin/  (user: ${first.username})`];
  if (first.generatedPassword) {
    lines.push(
      `  First start: generated admin password: ${first.generatedPassword}`,
      '  It is shown only this once; change it in the console (or set PAYGATE_ADMIN_PASSWORD before the first start).',
      '  Lost it? `npx paygate admins reset-password` sets a new one.',
    );
  } else if (first.created) {
    lines.push('  Password: the one in PAYGATE_ADMIN_PASSWORD.');
  }
  return lines;
};
