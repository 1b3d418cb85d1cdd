/**
 * The ordered list of migrations. Names sort in application order; never rename or edit one
 * that has shipped: add a new one.
 */
import type { MigrationFactory } from './types.js';
import { migration001Core } from './001-core.js';
import { migration002Webhooks } from './002-webhooks.js';
import { migration005Admin } from './005-admin.js';
import { migration006StatementTriggers } from './006-statement-triggers.js';
import { migration007DeliveryPermits } from './007-delivery-permits.js';
import { migration008LeanChargeIndexes } from './008-lean-charge-indexes.js';

export const MIGRATIONS: Readonly<Record<string, MigrationFactory>> = {
  '001-core': migration001Core,
  '002-webhooks': migration002Webhooks,
  '005-admin': migration005Admin,
  '006-statement-triggers': migration006StatementTriggers,
  '007-delivery-permits': migration007DeliveryPermits,
  '008-lean-charge-indexes': migration008LeanChargeIndexes,
};
