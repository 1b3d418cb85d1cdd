/**
 * Transactions in the console (seed 002 交易记录): the filtered, keyset-paged list, its CSV
 * export, the detail page, and the operator's actions (refund, ship, close). Actions run in the
 * charge's own app and mode through the engine, exactly as the API would.
 */
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { AdminConsole } from '../../engine/admin/admin-console.js';
import { parseTransactionFilter } from '../../engine/admin/transaction-filter.js';
import { bodyOf, optionalInt, optionalText, queryOf, tzOffset } from './query-params.js';

export function transactionRoutes(app: FastifyInstance, admin: AdminConsole): void {
  const { paygate } = admin;

  app.get('/transactions', async (request) => {
    const query = queryOf(request.query);
    return admin.transactions.search(parseTransactionFilter(query), {
      limit: optionalInt(query, 'limit', 1, 100),
      starting_after: optionalText(query, 'starting_after'),
      ending_before: optionalText(query, 'ending_before'),
    });
  });

  app.get('/transactions/export.csv', async (request, reply) => {
    const query = queryOf(request.query);
    const filter = parseTransactionFilter(query);
    const stamp = new Date(paygate.deps.clock.now()).toISOString().slice(0, 19).replace(/[-:T]/g, '');
    reply.header('content-type', 'text/csv; charset=utf-8');
    reply.header('content-disposition', `attachment; filename="paygate-transactions-${stamp}.csv"`);
    return reply.send(Readable.from(admin.transactions.csv(filter, tzOffset(query))));
  });

  app.get<{ Params: { id: string } }>('/transactions/:id', async (request) => admin.transactions.detail(request.params.id));

  app.post<{ Params: { id: string } }>('/transactions/:id/refund', async (request) => {
    const body = bodyOf(request.body);
    const scope = await admin.transactions.scope(request.params.id);
    return paygate.charges.refund(scope, request.params.id, { amount: body.amount, description: body.description });
  });

  app.post<{ Params: { id: string } }>('/transactions/:id/ship', async (request) => {
    const body = bodyOf(request.body);
    const scope = await admin.transactions.scope(request.params.id);
    return paygate.charges.ship(scope, request.params.id, {
      logistics_name: body.logistics_name as string, invoice_no: body.invoice_no as string, transport_type: body.transport_type as string,
    });
  });

  app.post<{ Params: { id: string } }>('/transactions/:id/close', async (request) => {
    const scope = await admin.transactions.scope(request.params.id);
    return paygate.charges.reverse(scope, request.params.id);
  });
}
