/**
 * Charge writes on SQLite, as fixed SQL texts run synchronously on a better-sqlite3 connection.
 * The same functions run in the writer thread (sqlite-writer.ts, for database files) and, for an
 * in-memory database, on the main connection inside a unit of the group commit.
 */
import type SqliteDatabase from 'better-sqlite3';
import {
  CHARGE_COLUMNS, EVENT_COLUMNS, LOG_COLUMNS, placeholders, transitionColumns,
  type ChargeWrites, type EventRow, type InsertChargeOutcome, type LogRow, type NewChargeWrite, type TransitionOutcome, type TransitionWrite,
} from './charge-writes.js';

/** Runs one statement, answers how many rows it changed. */
export type RunStatement = (sql: string, parameters: unknown[]) => number;

/** A write as it crosses to the writer thread. */
export type SqliteWrite = { readonly kind: 'insert'; readonly write: NewChargeWrite } | { readonly kind: 'transition'; readonly write: TransitionWrite };

const INSERT_CHARGE = `insert into charges (${CHARGE_COLUMNS.map(([name]) => name).join(', ')}) values ${placeholders(1, CHARGE_COLUMNS.length)}`;

/** SQL texts by shape (row count, column set): few distinct ones, built once each. */
const texts = new Map<string, string>();
function text(key: string, build: () => string): string {
  let sql = texts.get(key);
  if (sql === undefined) texts.set(key, (sql = build()));
  return sql;
}

function insertRows(run: RunStatement, logs: readonly LogRow[], events: readonly EventRow[]): void {
  if (logs.length > 0) {
    const sql = text(`logs:${logs.length}`, () => `insert into charge_logs (${LOG_COLUMNS.map(([name]) => name).join(', ')}) values ${placeholders(logs.length, LOG_COLUMNS.length)}`);
    run(sql, logs.flatMap((row) => LOG_COLUMNS.map(([name]) => row[name] ?? null)));
  }
  if (events.length > 0) {
    const sql = text(`events:${events.length}`, () => `insert into events (${EVENT_COLUMNS.map(([name]) => name).join(', ')}) values ${placeholders(events.length, EVENT_COLUMNS.length)}`);
    run(sql, events.flatMap((row) => EVENT_COLUMNS.map(([name]) => row[name] ?? null)));
  }
}

function isOrderNoViolation(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  return e?.code === 'SQLITE_CONSTRAINT_UNIQUE' && /order_no/.test(e.message ?? '');
}

export function insertCharge(run: RunStatement, write: NewChargeWrite): InsertChargeOutcome {
  try {
    run(INSERT_CHARGE, CHARGE_COLUMNS.map(([name]) => write.charge[name]));
  } catch (error) {
    // The only unique key a new charge can hit (its id is random) is (app, mode, order_no).
    if (isOrderNoViolation(error)) return 'order_no_in_use';
    throw error;
  }
  insertRows(run, write.logs, write.events);
  return 'inserted';
}

export function applyTransition(run: RunStatement, write: TransitionWrite): TransitionOutcome {
  const columns = transitionColumns(write);
  const sql = text(`update:${columns.join(',')}`, () => `update charges set ${columns.map((name) => `${name} = ?`).join(', ')} where id = ? and status = ?`);
  const changed = run(sql, [...columns.map((name) => write.set[name as keyof typeof write.set]), write.charge_id, write.expected_status]);
  if (changed !== 1) return 'status_changed';
  insertRows(run, write.logs, write.events);
  return 'applied';
}

export function applySqliteWrite(run: RunStatement, item: SqliteWrite): InsertChargeOutcome | TransitionOutcome {
  return item.kind === 'insert' ? insertCharge(run, item.write) : applyTransition(run, item.write);
}

/** Statements prepared once per connection and SQL text. */
export function statementRunner(prepare: (sql: string) => SqliteDatabase.Statement): RunStatement {
  return (sql, parameters) => prepare(sql).run(parameters).changes;
}

type Transaction = <T>(work: () => Promise<T>) => Promise<T>;

/** On the main connection, each write a unit of the group commit (an in-memory database has no writer thread). */
export function mainThreadChargeWrites(transaction: Transaction, run: RunStatement): ChargeWrites {
  return {
    insertCharge: (write) => transaction(async () => insertCharge(run, write)),
    applyTransition: (write) => transaction(async () => applyTransition(run, write)),
  };
}
