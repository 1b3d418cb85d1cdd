/** The settings every paygate SQLite connection runs with. */
import type SqliteDatabase from 'better-sqlite3';

export function configureConnection(db: SqliteDatabase.Database): void {
  db.pragma('journal_mode = WAL');
  // Every COMMIT waits for the disk: an acknowledged charge survives a power cut.
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
}
