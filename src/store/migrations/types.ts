import type { Migration } from 'kysely';
import type { DialectName } from '../database.js';

/** Migrations are built per dialect, since column types (bigint, bigserial) differ. */
export type MigrationFactory = (dialect: DialectName) => Migration;
