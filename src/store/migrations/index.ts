/**
 * The ordered list of migrations. Names sort in application order; never rename or edit one
 * that has shipped: add a new one.
 */
import type { MigrationFactory } from './types.js';
import { migration001Core } from './001-core.js';

export const MIGRATIONS: Readonly<Record<string, MigrationFactory>> = {
  '001-core': migration001Core,
};
