/**
 * The buyer's result page (seed 002 GetResultUrl): the charge's state, the transaction type's
 * fragment, a timed redirect to `return_url` once the outcome is known (only to allowed hosts
 * when the app lists them), a self-refresh while waiting, and an HTML 404.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import type { ChargeObject } from '../../src/engine/api-types.js';
import { chargeBody, client } from './helpers.js';

describe('the result page', () => {
  let s: TestServer;
  let call: ReturnType<typeof client>;
  beforeAll(async () => {
    s = await startTestServer({
      paygateOptions: {
        transactionHandlers: [{ type: 'ticket', resultHtml: (charge) => `<p class="ticket">Ticket for ${charge.amount} fen &amp; more</p>` }],
      },
    });
    call = client(s);
  });
  afterAll(() => s?.close());

  const page = async (id: string) => {
    const res = await fetch(`${s.url}/pay/result/${id}`);
    return { status: res.status, type: res.headers.get('content-type') ?? '', html: await res.text() };
  };

  it('refreshes itself while the payment is pending', async () => {
    const charge = (await call<ChargeObject>('POST', '/v1/charges', chargeBody({ return_url: 'https://shop.example.com/orders/1' }))).body;
    const { html, type } = await page(charge.id);
    expect(type).toContain('text/html');
    expect(html).toContain('等待支付结果');
    expect(html).toContain(`<meta http-equiv="refresh" content="3;url=/pay/result/${charge.id}">`);
  });

  it('shows success, the amount in yuan, the type\'s fragment, and redirects to return_url', async () => {
    const charge = (await call<ChargeObject>('POST', '/v1/charges', chargeBody({ type: 'ticket', amount: 12345, subject: '<b>Mug</b>', return_url: 'https://shop.example.com/orders/2?x=1&y=2' }))).body;
    await call('POST', `/v1/charges/${charge.id}/simulate`, { outcome: 'paid' });
    const { html } = await page(charge.id);
    expect(html).toContain('支付成功');
    expect(html).toContain('123.45');
    expect(html).toContain('&lt;b&gt;Mug&lt;/b&gt;');
    expect(html).toContain('<p class="ticket">Ticket for 12345 fen &amp; more</p>');
    expect(html).toContain('<meta http-equiv="refresh" content="3;url=https://shop.example.com/orders/2?x=1&amp;y=2">');
  });

  it('shows a closed charge as not paid', async () => {
    const charge = (await call<ChargeObject>('POST', '/v1/charges', chargeBody())).body;
    await call('POST', `/v1/charges/${charge.id}/reverse`);
    const { html } = await page(charge.id);
    expect(html).toContain('交易已关闭');
    expect(html).not.toContain('http-equiv="refresh"');
  });

  it('redirects only to hosts the app allows, when it lists any', async () => {
    await s.paygate.apps.update(s.app.id, { allowed_redirect_hosts: ['shop.example.com'] });
    const evil = (await call<ChargeObject>('POST', '/v1/charges', chargeBody({ return_url: 'https://evil.example.net/' }))).body;
    await call('POST', `/v1/charges/${evil.id}/simulate`, { outcome: 'paid' });
    expect((await page(evil.id)).html).not.toContain('evil.example.net');
    const good = (await call<ChargeObject>('POST', '/v1/charges', chargeBody({ return_url: 'https://shop.example.com/ok' }))).body;
    await call('POST', `/v1/charges/${good.id}/simulate`, { outcome: 'paid' });
    expect((await page(good.id)).html).toContain('url=https://shop.example.com/ok');
  });

  it('answers an unknown charge with an HTML 404', async () => {
    const { status, type, html } = await page('ch_nothing');
    expect(status).toBe(404);
    expect(type).toContain('text/html');
    expect(html).toContain('找不到该交易');
  });
});
