/**
 * Transaction types (seed 002): what a charge pays for (`order`, `recharge`, or one the embedding
 * application registers). Handlers run inside the engine after the state change commits; a
 * handler that throws is logged on the charge and never undoes the committed change.
 */
import type { ChargeObject } from './api-types.js';
import { PaygateError } from '../core/errors.js';

export interface AutoShipParameters {
  readonly logistics_name: string;
  readonly invoice_no: string;
  readonly transport_type?: string;
}

export interface TransactionHandler {
  readonly type: string;
  onCreated?(charge: ChargeObject): void | Promise<void>;
  onWaitingPaying?(charge: ChargeObject, previous: string): void | Promise<void>;
  /** May return shipping parameters: paygate then ships the escrow charge at once. */
  onSecuredPaid?(charge: ChargeObject, previous: string): void | AutoShipParameters | Promise<void | AutoShipParameters>;
  onSuccess?(charge: ChargeObject, previous: string): void | Promise<void>;
  onAbort?(charge: ChargeObject, previous: string): void | Promise<void>;
  /** An HTML fragment for the result page (already escaped by the handler). */
  resultHtml?(charge: ChargeObject): string | Promise<string>;
}

export const BUILT_IN_TRANSACTION_TYPES: readonly string[] = ['order', 'recharge'];

export class TransactionTypeRegistry {
  private readonly handlers = new Map<string, TransactionHandler>();

  constructor(handlers: readonly TransactionHandler[] = []) {
    for (const type of BUILT_IN_TRANSACTION_TYPES) this.handlers.set(type, { type });
    for (const handler of handlers) this.handlers.set(handler.type, handler);
  }

  has(type: string): boolean {
    return this.handlers.has(type);
  }

  types(): string[] {
    return [...this.handlers.keys()];
  }

  get(type: string, param = 'type'): TransactionHandler {
    const handler = this.handlers.get(type);
    if (!handler) throw new PaygateError('transaction_type_unknown', { param, message: `Unknown transaction type "${type}"; use one of ${this.types().join(', ')}.` });
    return handler;
  }
}
