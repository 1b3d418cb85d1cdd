/**
 * Buyer-facing pages: the result page `/pay/result/:charge_id` (seed 002 GetResultUrl) and the
 * test channel's cashier `/pay/test/:charge_id`. A plain GET of a test pay URL pays at once and
 * shows the result (seed 000: "访问支付 URL 不用真实支付"); a charge with `extra.interactive`
 * gets the password form instead, which posts back here.
 */
import type { FastifyReply } from 'fastify';
import type { RoutePlugin } from './index.js';
import { isPaygateError } from '../../core/errors.js';
import { resultView } from '../../engine/result-view.js';
import type { Paygate } from '../../engine/paygate.js';
import { renderResultPage } from '../pages/result-page.js';
import { renderCashierPage } from '../pages/cashier-page.js';
import { label, renderPage } from '../pages/layout.js';

interface ChargeParams { charge_id: string }

const hidden = { hide: true } as const;

function html(reply: FastifyReply, status: number, page: string): FastifyReply {
  return reply.code(status).type('text/html; charset=utf-8').send(page);
}

function notFound(reply: FastifyReply): FastifyReply {
  const body = `<section class="card bad"><div class="status"><div class="icon">?</div><h1>${label('找不到该交易', 'No such payment')}</h1><p class="hint">${label('链接可能有误或已失效', 'The link may be wrong or out of date')}</p></div></section>`;
  return html(reply, 404, renderPage({ title: '找不到该交易 · Not found', body }));
}

/** Renders a page, answering a missing charge with a 404 page rather than JSON. */
async function page(reply: FastifyReply, render: () => Promise<string | { status: number; html: string }>): Promise<FastifyReply> {
  try {
    const result = await render();
    return typeof result === 'string' ? html(reply, 200, result) : html(reply, result.status, result.html);
  } catch (error) {
    if (isPaygateError(error) && error.code === 'resource_not_found') return notFound(reply);
    throw error;
  }
}

async function result(paygate: Paygate, chargeId: string): Promise<string> {
  return renderResultPage(await resultView(paygate.deps, chargeId), `/pay/result/${encodeURIComponent(chargeId)}`);
}

export const payPageRoutes: RoutePlugin = async (app, { paygate }) => {
  app.get<{ Params: ChargeParams }>('/pay/result/:charge_id', { schema: hidden }, async (request, reply) =>
    page(reply, () => result(paygate, request.params.charge_id)));

  app.get<{ Params: ChargeParams }>('/pay/test/:charge_id', { schema: hidden }, async (request, reply) => page(reply, async () => {
    const id = request.params.charge_id;
    const view = await paygate.testCashier.view(id);
    const open = view.charge.status === 'pending' || view.charge.status === 'created';
    if (view.interactive && open) return renderCashierPage(view, `/pay/test/${encodeURIComponent(id)}`);
    if (open) await paygate.testCashier.pay(id, 'pay');
    return result(paygate, id);
  }));

  app.post<{ Params: ChargeParams; Body: { action?: unknown; password?: unknown } | undefined }>('/pay/test/:charge_id', { schema: hidden }, async (request, reply) => page(reply, async () => {
    const id = request.params.charge_id;
    const body = request.body && typeof request.body === 'object' ? request.body : {};
    const action = body.action === 'fail' ? 'fail' : 'pay';
    const password = typeof body.password === 'string' ? body.password : undefined;
    try {
      await paygate.testCashier.pay(id, action, password);
    } catch (error) {
      if (isPaygateError(error) && error.param === 'password') {
        const view = await paygate.testCashier.view(id);
        return { status: 400, html: renderCashierPage(view, `/pay/test/${encodeURIComponent(id)}`, '支付密码错误，请重试。Incorrect payment password, please try again.') };
      }
      throw error;
    }
    return result(paygate, id);
  }));
};
