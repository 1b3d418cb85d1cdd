import { afterEach, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { webhookFixture, type WebhookFixture } from './support/fixture.js';
import { createEndpoint, deleteEndpoint, listEndpoints, MAX_ENDPOINTS_PER_APP, retrieveEndpoint, rollEndpointSecret, signingSecrets, updateEndpoint, findEndpointRow } from '../../src/webhooks/endpoints.js';
import { createDispatcher } from '../../src/webhooks/dispatcher.js';

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`webhook endpoints (${dialect.name})`, () => {
    let fx: WebhookFixture | undefined;
    afterEach(async () => {
      await fx?.close();
      fx = undefined;
    });

    it('keep the secret sealed and show it only when created or rolled', async () => {
      fx = await webhookFixture(dialect);
      const created = await createEndpoint(fx.paygate.deps, fx.scope, { url: 'https://shop.example.com/hooks' });
      const row = await fx.database.db.selectFrom('webhook_endpoints').selectAll().where('id', '=', created.id).executeTakeFirstOrThrow();
      expect(row.secret).not.toContain(created.secret!);
      expect(row.secret).toMatch(/^v1\./);
      expect((await retrieveEndpoint(fx.paygate.deps, fx.scope, created.id)).secret).toBeUndefined();
      expect(created).toMatchObject({ events: ['*'], format: 'event', require_success_body: false, enabled: true });
      const capi = await createEndpoint(fx.paygate.deps, fx.scope, { url: 'https://shop.example.com/notify', format: 'capi' });
      expect(capi).toMatchObject({ events: ['charge.succeeded'], require_success_body: true });
    });

    it('roll with an overlap, or drop the old secret at once', async () => {
      fx = await webhookFixture(dialect);
      const deps = fx.paygate.deps;
      const created = await createEndpoint(deps, fx.scope, { url: 'https://shop.example.com/hooks' });
      const rolled = await rollEndpointSecret(deps, fx.scope, created.id, { expires_in: 60 });
      let row = await findEndpointRow(deps, fx.scope, created.id);
      expect(signingSecrets(deps, row, Date.now())).toEqual([rolled.secret, created.secret]);
      expect(signingSecrets(deps, row, Date.now() + 61_000)).toEqual([rolled.secret]);
      const again = await rollEndpointSecret(deps, fx.scope, created.id, { expires_in: '0' });
      row = await findEndpointRow(deps, fx.scope, created.id);
      expect(signingSecrets(deps, row, Date.now())).toEqual([again.secret]);
      await expect(rollEndpointSecret(deps, fx.scope, created.id, { expires_in: 10 ** 7 })).rejects.toThrow(/0 to 604800/);
    });

    it('check their parameters and say what to send instead', async () => {
      fx = await webhookFixture(dialect);
      const deps = fx.paygate.deps;
      const create = (input: Record<string, unknown>) => createEndpoint(deps, fx!.scope, { url: 'https://shop.example.com/hooks', ...input });
      await expect(createEndpoint(deps, fx.scope, {})).rejects.toMatchObject({ code: 'parameter_missing', param: 'url' });
      await expect(create({ events: [] })).rejects.toThrow(/non-empty list/);
      await expect(create({ events: ['charge.*', 'payment.done'] })).rejects.toThrow(/"payment.done" is not an event type/);
      await expect(create({ format: 'xml' })).rejects.toThrow(/format must be one of event, capi, scrm/);
      await expect(create({ channel: 'chn_nope' })).rejects.toThrow(/No channel chn_nope in this app/);
      await expect(create({ channel: 'paypal' })).rejects.toThrow(/channel types/);
      await expect(create({ require_success_body: 'maybe' })).rejects.toThrow(/true or false/);
      const form = await create({ events: 'charge.succeeded,refund.*', require_success_body: 'true', channel: fx.channel.id });
      expect(form).toMatchObject({ events: ['charge.succeeded', 'refund.*'], require_success_body: true, channel: fx.channel.id });
      const updated = await updateEndpoint(deps, fx.scope, form.id, { enabled: false, description: 'paused' });
      expect(updated).toMatchObject({ enabled: false, description: 'paused', events: ['charge.succeeded', 'refund.*'] });
      await expect(updateEndpoint(deps, fx.scope, form.id, { format: 'capi' })).rejects.toThrow(/capi format has no message for/);
      await expect(retrieveEndpoint(deps, { ...fx.scope, livemode: true }, form.id)).rejects.toMatchObject({ code: 'resource_not_found' });
    });

    it(`allow ${MAX_ENDPOINTS_PER_APP} per app and mode`, async () => {
      fx = await webhookFixture(dialect);
      for (let i = 0; i < MAX_ENDPOINTS_PER_APP; i++) await createEndpoint(fx.paygate.deps, fx.scope, { url: `https://shop.example.com/h${i}` });
      await expect(createEndpoint(fx.paygate.deps, fx.scope, { url: 'https://shop.example.com/one-more' })).rejects.toThrow(/at most 16/);
      expect((await listEndpoints(fx.paygate.deps, fx.scope)).data).toHaveLength(MAX_ENDPOINTS_PER_APP);
    });

    it('deleting one fails its pending deliveries and sends nothing more to it', async () => {
      fx = await webhookFixture(dialect);
      const endpoint = await createEndpoint(fx.paygate.deps, fx.scope, { url: 'http://127.0.0.1:9/hooks' });
      await fx.paidCharge();
      await createDispatcher(fx.paygate.deps).runOnce().catch(() => undefined);
      await deleteEndpoint(fx.paygate.deps, fx.scope, endpoint.id);
      const rows = await fx.deliveries();
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.every((d) => d.status === 'failed')).toBe(true);
      expect(rows.map((d) => d.last_error)).toContain('the endpoint was deleted');
      await fx.paidCharge();
      const dispatcher = createDispatcher(fx.paygate.deps);
      await dispatcher.runOnce();
      expect((await fx.deliveries()).length).toBe(rows.length);
    });
  });
}
