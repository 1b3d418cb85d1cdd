/** Lines of a charge's log: every transition, channel request and response, notify; secrets masked. */
import type { Kysely, Transaction } from 'kysely';
import type { Schema, ChargeLogsTable } from '../store/schema.js';
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

export async function writeLog(db: Kysely<Schema> | Transaction<Schema>, at: number, lines: readonly LogLine[]): Promise<void> {
  if (lines.length === 0) return;
  await db.insertInto('charge_logs').values(lines.map((line) => ({
    charge_id: line.charge_id,
    app_id: line.app_id,
    channel_id: line.channel_id,
    at,
    kind: line.kind,
    message: line.message,
    data: line.data === undefined ? null : JSON.stringify(maskSecrets(line.data, line.secretFields)),
  }))).execute();
}
