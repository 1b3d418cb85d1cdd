/**
 * Many rows in one statement with one parameter: the rows travel as a JSON array of arrays and
 * the statement reads them back as a table (SQLite `jsonb_each`, PostgreSQL
 * `jsonb_array_elements`). The SQL text is the same whatever the number of rows, so SQLite
 * prepares it once (statement-cache.ts) and no query builder runs per row — on the dispatcher's
 * hot path that building cost more than the database work itself.
 */
import { CompiledQuery, type Kysely } from 'kysely';
import type { DialectName } from '../store/database.js';
import type { Schema } from '../store/schema.js';

/** A column of the JSON rows: its position in each row is its position in the list. */
export interface JsonColumn {
  readonly name: string;
  /** PostgreSQL type to cast to (SQLite keeps the JSON value's own type). */
  readonly type: 'text' | 'integer' | 'bigint';
}

export type JsonValue = string | number | null;

/**
 * `select <columns> from <the JSON rows in parameter `param`>`, naming each column. `param` is
 * `?` for SQLite, `$n` for PostgreSQL.
 */
export function selectJsonRows(dialect: DialectName, columns: readonly JsonColumn[], param: string): string {
  // Binary JSON (jsonb) on both: each row is parsed once, not once per column read from it.
  if (dialect === 'sqlite') return `select ${columns.map((c, i) => `value->>${i} as ${c.name}`).join(', ')} from jsonb_each(jsonb(${param}))`;
  return `select ${columns.map((c, i) => `(j->>${i})::${c.type} as ${c.name}`).join(', ')} from jsonb_array_elements(${param}::jsonb) as j`;
}

/** Runs prepared SQL text with its parameters, skipping the query builder. */
export async function runSql<R = Record<string, unknown>>(db: Kysely<Schema>, text: string, parameters: readonly unknown[]): Promise<R[]> {
  const result = await db.executeQuery<R>(CompiledQuery.raw(text, [...parameters]));
  return result.rows;
}

/** Runs prepared SQL text that returns no rows; answers how many rows it changed. */
export async function runSqlChanges(db: Kysely<Schema>, text: string, parameters: readonly unknown[]): Promise<number> {
  const result = await db.executeQuery(CompiledQuery.raw(text, [...parameters]));
  return Number(result.numAffectedRows ?? 0);
}

/** Builds a dialect's SQL once per process (the texts depend only on the dialect). */
export function perDialect<T>(build: (dialect: DialectName) => T): (dialect: DialectName) => T {
  const built = new Map<DialectName, T>();
  return (dialect) => {
    let value = built.get(dialect);
    if (value === undefined) {
      value = build(dialect);
      built.set(dialect, value);
    }
    return value;
  };
}
