/** Lines of a charge's log: every transition, channel request and response, notify; secrets masked. */
import type { Kysely } from 'kysely';
import type { Schema, ChargeLogsTable } from '../store/schema.js';
import type { LogRow } from '../store/charge-writes.js';
import { maskSecrets } from '../core/mask.js';

export interface LogLine {
  readonly charge_id: string | null;
  readonly app_id: string | null;
  readonly channel_id: string | null;
  readonly kind: ChargeLogsTable['kind'];
  readonly message: string;
  readonly data?: unknown;
  readonly secretFields?: readonly string[];
}

/** The stored row of a line: its data as JSON with secrets masked. */
export function toLogRow(at: number, line: LogLine): LogRow {
  return {
    charge_id: line.charge_id,
    app_id: line.app_id,
    channel_id: line.channel_id,
    at,
    kind: line.kind,
    message: line.message,
    data: line.data === undefined ? null : JSON.stringify(maskSecrets(line.data, line.secretFields)),
  };
}

export async function writeLog(db: Kysely<Schema>, at: number, lines: readonly LogLine[]): Promise<void> {
  if (lines.length === 0) return;
  await db.insertInto('charge_logs').values(lines.map((line) => toLogRow(at, line))).execute();
}

/**
 * Writes log lines outside any unit of work, through the store's transaction so SQLite folds
 * them into its group commit. Never call it inside `inTransaction` (the SQLite connection is
 * held there); use `writeLog(uow.trx, …)` instead.
 */
export async function appendLog(database: { transaction<T>(work: (trx: Kysely<Schema>) => Promise<T>): Promise<T> }, at: number, lines: readonly LogLine[]): Promise<void> {
  if (lines.length === 0) return;
  await database.transaction((trx) => writeLog(trx, at, lines));
}
