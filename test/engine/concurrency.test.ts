import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { engineFixture, chargeInput, type EngineFixture } from '../support/engine.js';

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`concurrency on ${dialect.name}`, () => {
    let f: EngineFixture;
    beforeAll(async () => { f = await engineFixture(dialect); });
    afterAll(async () => { await f?.close(); });

    it('50 parallel pay calls on one charge give exactly one success and one charge.succeeded event', async () => {
      const charge = await f.paygate.charges.create(f.scope, chargeInput());
      const results = await Promise.allSettled(Array.from({ length: 50 }, (_, i) =>
        i % 2 === 0 ? f.paygate.charges.simulate(f.scope, charge.id, 'paid') : f.paygate.testCashier.pay(charge.id, 'pay')));
      expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
      const events = await f.paygate.events.list(f.scope, { charge: charge.id, type: 'charge.succeeded', limit: 100 });
      expect(events.data).toHaveLength(1);
      const transitions = (await f.paygate.charges.log(charge.id)).filter((l) => l.kind === 'transition' && l.message.startsWith('pending → succeeded'));
      expect(transitions).toHaveLength(1);
      const numbers = new Set(results.map((r) => (r.status === 'fulfilled' ? r.value.transaction_no : null)));
      expect(numbers.size).toBe(1);
    });

    it('parallel refunds never add up past the amount', async () => {
      const charge = await f.paygate.charges.create(f.scope, chargeInput({ amount: 1000 }));
      await f.paygate.charges.simulate(f.scope, charge.id, 'paid');
      const results = await Promise.allSettled(Array.from({ length: 20 }, () => f.paygate.charges.refund(f.scope, charge.id, { amount: 150 })));
      const ok = results.filter((r) => r.status === 'fulfilled');
      expect(ok).toHaveLength(6); // 6 × 150 = 900 ≤ 1000 < 7 × 150
      for (const r of results) if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'refund_amount_exceeded' });
      const after = await f.paygate.charges.retrieve(f.scope, charge.id);
      expect(after.amount_refunded).toBe(900);
    });

    it('pay racing close ends in exactly one final state', async () => {
      for (let round = 0; round < 10; round++) {
        const charge = await f.paygate.charges.create(f.scope, chargeInput());
        await Promise.allSettled([f.paygate.charges.simulate(f.scope, charge.id, 'paid'), f.paygate.charges.reverse(f.scope, charge.id)]);
        const after = await f.paygate.charges.retrieve(f.scope, charge.id);
        expect(['succeeded', 'closed']).toContain(after.status);
        const finals = await f.paygate.events.list(f.scope, { charge: charge.id, limit: 100 });
        expect(finals.data.filter((e) => e.type === 'charge.succeeded' || e.type === 'charge.closed')).toHaveLength(1);
      }
    });
  });
}

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`refund settlement races on ${dialect.name}`, () => {
    it('the same refund settled 10 times at once is counted once, with one event', async () => {
      const { engineFixture: make, chargeInput: input } = await import('../support/engine.js');
      const { settleRefundRow } = await import('../../src/engine/refund-charge.js');
      const f = await make(dialect);
      try {
        const charge = await f.paygate.charges.create(f.scope, input({ amount: 1000 }));
        await f.paygate.charges.simulate(f.scope, charge.id, 'paid');
        // A pending refund, as a channel that answers "processing" leaves it.
        const now = Date.now();
        await f.database.db.insertInto('refunds').values({
          id: 're_race000000000000000000000', app_id: f.scope.app_id, charge_id: charge.id, livemode: 0, seq: 1, amount: 300, currency: 'cny',
          status: 'pending', description: '', metadata: '{}', transaction_no: null, failure_code: null, failure_msg: null, created_at: now, time_succeeded: null, updated_at: now,
        }).execute();
        await Promise.all(Array.from({ length: 10 }, () => settleRefundRow(f.paygate.deps, 're_race000000000000000000000', { ok: true, status: 'succeeded' })));
        expect((await f.paygate.charges.retrieve(f.scope, charge.id)).amount_refunded).toBe(300);
        expect((await f.paygate.events.list(f.scope, { charge: charge.id, type: 'refund.succeeded' })).data).toHaveLength(1);
      } finally {
        await f.close();
      }
    });
  });
}
