import { afterEach, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { engineFixture, chargeInput, type EngineFixture } from '../support/engine.js';
import { tailEvents } from '../../src/webhooks/event-tail.js';

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`event tail (${dialect.name})`, () => {
    let fx: EngineFixture | undefined;
    afterEach(async () => {
      await fx?.close();
      fx = undefined;
    });

    it('returns the app\'s events committed since it started, once each, in order', async () => {
      fx = await engineFixture(dialect);
      await fx.paygate.charges.create(fx.scope, chargeInput());
      const tail = await tailEvents(fx.paygate.deps, fx.scope);
      expect(await tail.poll()).toEqual([]);
      const charge = await fx.paygate.charges.create(fx.scope, chargeInput());
      await fx.paygate.charges.simulate(fx.scope, charge.id, 'paid');
      const other = await fx.paygate.apps.create({ name: 'Other shop' });
      await fx.paygate.channels.create(other.app.id, { type: 'test' });
      const seen = await tail.poll();
      expect(seen.map((e) => e.type)).toEqual(['charge.created', 'charge.pending', 'charge.succeeded']);
      expect(seen.every((e) => e.charge_id === charge.id)).toBe(true);
      expect(await tail.poll()).toEqual([]);
    });

    it.skipIf(dialect.name !== 'postgres')('catches an event whose sequence number commits after a higher one', async () => {
      fx = await engineFixture(dialect);
      const tail = await tailEvents(fx.paygate.deps, fx.scope);
      const { seq } = await fx.database.db.selectFrom('events').select((eb) => eb.fn.max('seq').as('seq')).executeTakeFirstOrThrow();
      const base = Number(seq);
      const row = (n: number, id: string) => ({ seq: n, id, app_id: fx!.scope.app_id, livemode: 0 as const, type: 'channel.enabled', charge_id: null, channel_id: null, data: '{}', created_at: Date.now() });
      await fx.database.db.insertInto('events').values(row(base + 3, 'evt_late_b')).execute();
      expect((await tail.poll()).map((e) => e.id)).toEqual(['evt_late_b']);
      await fx.database.db.insertInto('events').values(row(base + 1, 'evt_late_a')).execute();
      expect((await tail.poll()).map((e) => e.id)).toEqual(['evt_late_a']);
      expect(await tail.poll()).toEqual([]);
    });
  });
}
