/** `/v1/charges/:id/refunds`: refund a charge (full or partial), list and read its refunds. */
import type { RoutePlugin } from './index.js';
import { requireSecretKey, secretScope } from '../auth.js';
import { ERROR_RESPONSES, IdParams } from '../schemas/common.js';
import { ChargeRefundParams, Refund, RefundCreateBody, RefundList } from '../schemas/charge.js';
import { RefundListQuery, pageOf } from '../schemas/refund-list.js';

const tags = ['refunds'];

export const v1RefundRoutes: RoutePlugin = async (app, { paygate }) => {
  const secret = requireSecretKey(paygate);

  app.post<{ Params: IdParams; Body: RefundCreateBody }>('/v1/charges/:id/refunds', {
    onRequest: secret,
    schema: { tags, summary: 'Refund a charge; without amount, everything not yet refunded', params: IdParams, body: RefundCreateBody, response: { 200: Refund, ...ERROR_RESPONSES } },
  }, async (request) => paygate.charges.refund(secretScope(request), request.params.id, request.body));

  app.get<{ Params: IdParams; Querystring: RefundListQuery }>('/v1/charges/:id/refunds', {
    onRequest: secret,
    schema: { tags, summary: 'List a charge\'s refunds, newest first', params: IdParams, querystring: RefundListQuery, response: { 200: RefundList, ...ERROR_RESPONSES } },
  }, async (request) => {
    const refunds = await paygate.charges.refunds(secretScope(request), request.params.id);
    return pageOf(refunds, request.query, `/v1/charges/${request.params.id}/refunds`);
  });

  app.get<{ Params: ChargeRefundParams }>('/v1/charges/:id/refunds/:re_id', {
    onRequest: secret,
    schema: { tags, summary: 'Retrieve a refund', params: ChargeRefundParams, response: { 200: Refund, ...ERROR_RESPONSES } },
  }, async (request) => paygate.charges.retrieveRefund(secretScope(request), request.params.id, request.params.re_id));
};
