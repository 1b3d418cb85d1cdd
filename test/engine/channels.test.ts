import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { engineFixture, chargeInput, type EngineFixture } from '../support/engine.js';

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`channels on ${dialect.name}`, () => {
    let f: EngineFixture;
    beforeAll(async () => { f = await engineFixture(dialect); });
    afterAll(async () => { await f?.close(); });

    it('validates options against the type schema, naming the field', async () => {
      await expect(f.paygate.channels.create(f.scope.app_id, { type: 'test', options: { payment_password: '123' } })).rejects.toMatchObject({ param: 'options.payment_password' });
      await expect(f.paygate.channels.create(f.scope.app_id, { type: 'test', options: { color: 'red' } })).rejects.toMatchObject({ code: 'parameter_unknown', param: 'options.color' });
      await expect(f.paygate.channels.create(f.scope.app_id, { type: 'test', options: { auto_confirm: 'maybe' } })).rejects.toMatchObject({ param: 'options.auto_confirm' });
      await expect(f.paygate.channels.create(f.scope.app_id, { type: 'nope' })).rejects.toMatchObject({ code: 'channel_type_unknown', param: 'type' });
      await expect(f.paygate.channels.create(f.scope.app_id, { type: 'test', livemode: true })).rejects.toMatchObject({ param: 'livemode' });
      await expect(f.paygate.channels.create(f.scope.app_id, { type: 'test', fee: { percent_bp: -1 } })).rejects.toMatchObject({ param: 'fee.percent_bp' });
    });

    it('masks secrets on read, keeps them on update unless replaced', async () => {
      const channel = await f.paygate.channels.create(f.scope.app_id, { type: 'test', name: 'Cashier', options: { payment_password: 'hunter22' }, enabled: false });
      expect(channel.options.payment_password).toBe('****');
      const renamed = await f.paygate.channels.update(f.scope.app_id, channel.id, { name: 'Cashier 2', options: { merchant_name: 'Shop' } });
      expect(renamed).toMatchObject({ name: 'Cashier 2', options: { merchant_name: 'Shop', payment_password: '****' } });
      const configs = await f.paygate.channels.configs({ type: 'test', livemode: false });
      expect(configs.find((c) => c.id === channel.id)?.options.payment_password).toBe('hunter22');
    });

    it('emits channel.enabled when a channel becomes enabled, not on other updates', async () => {
      const channel = await f.paygate.channels.create(f.scope.app_id, { type: 'test', enabled: false });
      await f.paygate.channels.update(f.scope.app_id, channel.id, { enabled: true });
      await f.paygate.channels.update(f.scope.app_id, channel.id, { name: 'again' });
      const events = await f.database.db.selectFrom('events').selectAll().where('type', '=', 'channel.enabled').where('channel_id', '=', channel.id).execute();
      expect(events).toHaveLength(1);
    });

    it('refuses to delete a channel with pending charges, then deletes it', async () => {
      const { app } = await f.paygate.apps.create({ name: 'Delete shop' });
      const channel = await f.paygate.channels.create(app.id, { type: 'test' });
      const scope = { app_id: app.id, livemode: false };
      const charge = await f.paygate.charges.create(scope, chargeInput());
      await expect(f.paygate.channels.delete(app.id, channel.id)).rejects.toMatchObject({ code: 'channel_has_pending_charges' });
      await f.paygate.charges.reverse(scope, charge.id);
      await expect(f.paygate.channels.delete(app.id, channel.id)).resolves.toMatchObject({ deleted: true });
      await expect(f.paygate.channels.retrieve(app.id, channel.id)).rejects.toMatchObject({ code: 'resource_not_found' });
      await expect(f.paygate.charges.create(scope, chargeInput())).rejects.toMatchObject({ code: 'channel_not_configured' });
    });

    it('restricts transaction types per channel', async () => {
      const { app } = await f.paygate.apps.create({ name: 'Types shop' });
      await f.paygate.channels.create(app.id, { type: 'test', transaction_types: ['recharge'] });
      const scope = { app_id: app.id, livemode: false };
      await expect(f.paygate.charges.create(scope, chargeInput())).rejects.toMatchObject({ code: 'transaction_type_not_allowed', param: 'type' });
      await expect(f.paygate.charges.create(scope, chargeInput({ type: 'recharge' }))).resolves.toMatchObject({ type: 'recharge' });
    });

    it('pays on behalf: a charge on B is collected by its delegate A and shown under B', async () => {
      const { app } = await f.paygate.apps.create({ name: 'Delegate shop' });
      const a = await f.paygate.channels.create(app.id, { type: 'test', name: 'A (pays)' });
      const b = await f.paygate.channels.create(app.id, { type: 'test', name: 'B', delegate: a.id });
      const scope = { app_id: app.id, livemode: false };
      const charge = await f.paygate.charges.create(scope, chargeInput({ channel_id: b.id }));
      expect(charge.channel_id).toBe(b.id);
      const row = await f.database.db.selectFrom('charges').select(['channel_id', 'paying_channel_id']).where('id', '=', charge.id).executeTakeFirstOrThrow();
      expect(row).toEqual({ channel_id: b.id, paying_channel_id: a.id });
      await expect(f.paygate.channels.update(app.id, a.id, { delegate: b.id })).rejects.toMatchObject({ param: 'delegate' });
    });

    it('reports whether an app can take payments (seed 001 reminder)', async () => {
      const { app } = await f.paygate.apps.create({ name: 'Needs payment', requires_payment: true });
      expect(app.payment_ready).toEqual({ test: false, live: false });
      expect(app.missing.length).toBeGreaterThan(0);
      await f.paygate.channels.create(app.id, { type: 'test' });
      expect((await f.paygate.apps.retrieve(app.id)).payment_ready.test).toBe(true);
    });

    it('authenticates keys by hash and refuses rolled ones', async () => {
      const { app, keys } = await f.paygate.apps.create({ name: 'Keys' });
      expect(await f.paygate.authenticate(keys.test_secret_key)).toEqual({ app_id: app.id, kind: 'secret', livemode: false });
      expect(await f.paygate.authenticate(keys.live_publishable_key)).toEqual({ app_id: app.id, kind: 'publishable', livemode: true });
      const rows = await f.database.db.selectFrom('api_keys').selectAll().where('app_id', '=', app.id).execute();
      expect(JSON.stringify(rows)).not.toContain(keys.test_secret_key);
      const fresh = await f.paygate.apps.rollKey(app.id, 'secret', false);
      expect(await f.paygate.authenticate(keys.test_secret_key)).toBeUndefined();
      expect(await f.paygate.authenticate(fresh)).toMatchObject({ app_id: app.id });
      expect(await f.paygate.authenticate('sk_test_nonsense')).toBeUndefined();
    });
  });
}
