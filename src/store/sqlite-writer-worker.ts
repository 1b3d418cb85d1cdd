/**
 * The SQLite writer thread: owns a second connection to the database file and runs batches of
 * charge writes on it, each write in its own SAVEPOINT of one transaction, then one durable
 * COMMIT (`synchronous=FULL`). Its statements and its fsync take this thread's time, not the
 * event loop's, so the server parses the next requests while a batch is written.
 */
import { parentPort, workerData } from 'node:worker_threads';
import SqliteDatabase from 'better-sqlite3';
import { applySqliteWrite, statementRunner, type SqliteWrite } from './charge-writes-sqlite.js';
import { configureConnection } from './sqlite-connection.js';

export interface WriterBatch {
  readonly batch: number;
  readonly writes: readonly SqliteWrite[];
}

export type WriterOutcome = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: { message: string; code?: string } };

export interface WriterReply {
  readonly batch: number;
  /** One per write, when the batch committed. */
  readonly outcomes?: readonly WriterOutcome[];
  /** The batch did not commit: every write failed with this. */
  readonly error?: { message: string; code?: string };
}

const db = new SqliteDatabase((workerData as { file: string }).file);
configureConnection(db);
const statements = new Map<string, SqliteDatabase.Statement>();
const run = statementRunner((sql) => {
  let statement = statements.get(sql);
  if (!statement) statements.set(sql, (statement = db.prepare(sql)));
  return statement;
});
const begin = db.prepare('begin immediate');
const commit = db.prepare('commit');
const savepoint = db.prepare('savepoint unit');
const release = db.prepare('release unit');
const rollbackUnit = db.prepare('rollback to unit');

const plainError = (error: unknown): { message: string; code?: string } => {
  const e = error as { message?: string; code?: string };
  return { message: e?.message ?? String(error), ...(e?.code ? { code: e.code } : {}) };
};

function writeBatch(writes: readonly SqliteWrite[]): WriterOutcome[] {
  const outcomes: WriterOutcome[] = [];
  begin.run();
  try {
    for (const write of writes) {
      savepoint.run();
      try {
        outcomes.push({ ok: true, value: applySqliteWrite(run, write) });
      } catch (error) {
        rollbackUnit.run();
        outcomes.push({ ok: false, error: plainError(error) });
      }
      release.run();
    }
    commit.run();
  } catch (error) {
    if (db.inTransaction) db.exec('rollback');
    throw error;
  }
  return outcomes;
}

parentPort!.on('message', (message: WriterBatch | 'close') => {
  if (message === 'close') {
    db.close();
    parentPort!.close();
    return;
  }
  let reply: WriterReply;
  try {
    reply = { batch: message.batch, outcomes: writeBatch(message.writes) };
  } catch (error) {
    reply = { batch: message.batch, error: plainError(error) };
  }
  parentPort!.postMessage(reply);
});
