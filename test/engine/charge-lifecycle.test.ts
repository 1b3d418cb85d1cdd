import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { engineFixture, chargeInput, type EngineFixture } from '../support/engine.js';

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`charge lifecycle on ${dialect.name}`, () => {
    let f: EngineFixture;
    beforeAll(async () => { f = await engineFixture(dialect); });
    afterAll(async () => { await f?.close(); });

    const eventTypes = async (chargeId: string) => (await f.paygate.events.list(f.scope, { charge: chargeId, limit: 100 })).data.map((e) => e.type).reverse();

    it('creates a pending charge with a test credential, and its created + pending events', async () => {
      const charge = await f.paygate.charges.create(f.scope, chargeInput());
      expect(charge).toMatchObject({ object: 'charge', status: 'pending', paid: false, amount: 1000, currency: 'cny', livemode: false, channel: 'test' });
      expect(charge.credential).toMatchObject({ object: 'credential', test: { pay_url: `http://127.0.0.1:9/pay/test/${charge.id}` } });
      expect(charge.client_secret).toMatch(new RegExp(`^${charge.id}_secret_`));
      expect(await eventTypes(charge.id)).toEqual(['charge.created', 'charge.pending']);
    });

    it('pays through the cashier, records fee and settle amount, and emits charge.succeeded once', async () => {
      const { app } = await f.paygate.apps.create({ name: 'Fee shop' });
      await f.paygate.channels.create(app.id, { type: 'test', fee: { percent_bp: 60, fixed: 10 } });
      const scope = { app_id: app.id, livemode: false };
      const charge = await f.paygate.charges.create(scope, chargeInput({ amount: 250 }));
      expect(charge).toMatchObject({ fee: 12, amount_settle: 238 }); // 1.5 → 2, + 10
      const paid = await f.paygate.testCashier.pay(charge.id, 'pay');
      expect(paid).toMatchObject({ status: 'succeeded', paid: true });
      expect(paid.time_paid).toBeTypeOf('number');
      expect(paid.transaction_no).toMatch(/^T\d{24}$/);
      const again = await f.paygate.testCashier.pay(charge.id, 'pay');
      expect(again.transaction_no).toBe(paid.transaction_no);
      expect((await f.paygate.events.list(scope, { charge: charge.id, type: 'charge.succeeded' })).data).toHaveLength(1);
    });

    it('refunds partially and fully, and refuses more than is left', async () => {
      const charge = await f.paygate.charges.create(f.scope, chargeInput({ amount: 1000 }));
      await f.paygate.charges.simulate(f.scope, charge.id, 'paid');
      const first = await f.paygate.charges.refund(f.scope, charge.id, { amount: 300, description: 'one coffee' });
      expect(first).toMatchObject({ object: 'refund', amount: 300, status: 'succeeded', succeed: true, charge: charge.id });
      await expect(f.paygate.charges.refund(f.scope, charge.id, { amount: 701 })).rejects.toMatchObject({ code: 'refund_amount_exceeded', param: 'amount' });
      const rest = await f.paygate.charges.refund(f.scope, charge.id, {});
      expect(rest.amount).toBe(700);
      const after = await f.paygate.charges.retrieve(f.scope, charge.id);
      expect(after).toMatchObject({ amount_refunded: 1000, refunded: true });
      expect(after.refunds.data).toHaveLength(2);
      await expect(f.paygate.charges.refund(f.scope, charge.id, { amount: 1 })).rejects.toMatchObject({ code: 'refund_amount_exceeded' });
      expect((await f.paygate.events.list(f.scope, { charge: charge.id, type: 'refund.succeeded' })).data).toHaveLength(2);
    });

    it('runs the escrow flow: secured_paid → ship → shipped → confirm → succeeded', async () => {
      const charge = await f.paygate.charges.create(f.scope, chargeInput({ extra: { escrow: true } }));
      expect(charge.escrow).toBe(true);
      const secured = await f.paygate.testCashier.pay(charge.id, 'pay');
      expect(secured).toMatchObject({ status: 'secured_paid', paid: true });
      await expect(f.paygate.charges.confirm(f.scope, charge.id)).rejects.toMatchObject({ code: 'charge_state_invalid' });
      await expect(f.paygate.charges.ship(f.scope, charge.id, { logistics_name: 'SF' })).rejects.toMatchObject({ param: 'invoice_no' });
      const shipped = await f.paygate.charges.ship(f.scope, charge.id, { logistics_name: 'SF Express', invoice_no: 'SF123' });
      expect(shipped).toMatchObject({ status: 'shipped', shipment: { logistics_name: 'SF Express', invoice_no: 'SF123', transport_type: 'EXPRESS' } });
      const done = await f.paygate.charges.confirm(f.scope, charge.id);
      expect(done.status).toBe('succeeded');
      expect(await eventTypes(charge.id)).toEqual(['charge.created', 'charge.pending', 'charge.secured_paid', 'charge.shipped', 'charge.succeeded']);
    });

    it('auto-confirms after shipping when the test channel says so', async () => {
      const { app } = await f.paygate.apps.create({ name: 'Auto shop' });
      await f.paygate.channels.create(app.id, { type: 'test', options: { auto_confirm: true } });
      const scope = { app_id: app.id, livemode: false };
      const charge = await f.paygate.charges.create(scope, chargeInput({ extra: { escrow: true } }));
      await f.paygate.charges.simulate(scope, charge.id, 'secured_paid');
      const shipped = await f.paygate.charges.ship(scope, charge.id, { logistics_name: 'EMS', invoice_no: 'E1' });
      expect(shipped.status).toBe('succeeded');
    });

    it('reverses a pending charge and refuses to pay it afterwards', async () => {
      const charge = await f.paygate.charges.create(f.scope, chargeInput());
      const closed = await f.paygate.charges.reverse(f.scope, charge.id);
      expect(closed).toMatchObject({ status: 'closed', reversed: true });
      await expect(f.paygate.charges.simulate(f.scope, charge.id, 'paid')).rejects.toMatchObject({ code: 'charge_state_invalid' });
      await expect(f.paygate.charges.reverse(f.scope, charge.id)).resolves.toMatchObject({ status: 'closed' });
    });

    it('closes expired pending charges in the background job', async () => {
      const charge = await f.paygate.charges.create(f.scope, chargeInput());
      await f.database.db.updateTable('charges').set({ time_expire: Date.now() - 1000 }).where('id', '=', charge.id).execute();
      const report = await f.paygate.jobs.expire();
      expect(report.errors).toEqual([]);
      const after = await f.paygate.charges.retrieve(f.scope, charge.id);
      expect(after).toMatchObject({ status: 'closed', reversed: false });
      expect((await f.paygate.events.list(f.scope, { charge: charge.id, type: 'charge.closed' })).data).toHaveLength(1);
    });

    it('simulates a failure, and refuses simulate in live mode', async () => {
      const charge = await f.paygate.charges.create(f.scope, chargeInput());
      const failed = await f.paygate.charges.simulate(f.scope, charge.id, 'failed');
      expect(failed).toMatchObject({ status: 'closed', failure_code: 'buyer_failed' });
      await expect(f.paygate.charges.simulate({ ...f.scope, livemode: true }, charge.id, 'paid')).rejects.toMatchObject({ code: 'livemode_only_test' });
      await expect(f.paygate.charges.simulate(f.scope, charge.id, 'bogus')).rejects.toMatchObject({ param: 'outcome' });
    });

    it('asks for the payment password on the interactive cashier', async () => {
      const charge = await f.paygate.charges.create(f.scope, chargeInput({ extra: { interactive: true } }));
      await expect(f.paygate.testCashier.pay(charge.id, 'pay', 'wrong')).rejects.toMatchObject({ param: 'password' });
      expect((await f.paygate.charges.retrieve(f.scope, charge.id)).status).toBe('pending');
      expect((await f.paygate.testCashier.pay(charge.id, 'pay', 'secret-pass')).status).toBe('succeeded');
    });

    it('keeps apps apart: another app, or the other mode, does not find the charge', async () => {
      const charge = await f.paygate.charges.create(f.scope, chargeInput());
      const { app: other } = await f.paygate.apps.create({ name: 'Other' });
      await expect(f.paygate.charges.retrieve({ app_id: other.id, livemode: false }, charge.id)).rejects.toMatchObject({ code: 'resource_not_found' });
      await expect(f.paygate.charges.retrieve({ ...f.scope, livemode: true }, charge.id)).rejects.toMatchObject({ code: 'resource_not_found' });
    });

    it('refuses a second charge with the same order_no and writes nothing for bad input', async () => {
      const input = chargeInput();
      await f.paygate.charges.create(f.scope, input);
      await expect(f.paygate.charges.create(f.scope, input)).rejects.toMatchObject({ code: 'order_no_in_use', param: 'order_no' });
      const before = await f.database.db.selectFrom('charges').select(({ fn }) => fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      for (const [field, value] of [['amount', -1], ['amount', 1.5], ['amount', '100'], ['currency', 'zzz'], ['channel', 'nope'], ['subject', ''], ['client_ip', 'not-an-ip'], ['time_expire', 5]] as const) {
        await expect(f.paygate.charges.create(f.scope, chargeInput({ [field]: value }))).rejects.toMatchObject({ param: field });
      }
      const after = await f.database.db.selectFrom('charges').select(({ fn }) => fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      expect(Number(after.n)).toBe(Number(before.n));
    });

    it('runs transaction-type handlers after commit, including auto-ship from onSecuredPaid', async () => {
      const calls: string[] = [];
      const g = await engineFixture(dialect, {
        transactionHandlers: [{
          type: 'membership',
          onCreated: (c) => { calls.push(`created:${c.status}`); },
          onWaitingPaying: (c) => { calls.push(`waiting:${c.status}`); },
          onSecuredPaid: (c) => { calls.push(`secured:${c.status}`); return { logistics_name: 'TestLogistics', invoice_no: '00000000' }; },
          onSuccess: (c, previous) => { calls.push(`success:${previous}`); },
          onAbort: () => { calls.push('abort'); },
        }],
      });
      try {
        const charge = await g.paygate.charges.create(g.scope, chargeInput({ type: 'membership', extra: { escrow: true } }));
        await g.paygate.charges.simulate(g.scope, charge.id, 'paid');
        expect(calls).toEqual(['created:created', 'waiting:pending', 'secured:secured_paid']);
        expect((await g.paygate.charges.retrieve(g.scope, charge.id)).status).toBe('shipped');
        await g.paygate.charges.confirm(g.scope, charge.id);
        expect(calls.at(-1)).toBe('success:shipped');
        await expect(g.paygate.charges.create(g.scope, chargeInput({ type: 'unknown-type' }))).rejects.toMatchObject({ code: 'transaction_type_unknown' });
      } finally {
        await g.close();
      }
    });

    it('writes a log line for every transition', async () => {
      const charge = await f.paygate.charges.create(f.scope, chargeInput());
      await f.paygate.charges.simulate(f.scope, charge.id, 'paid');
      const log = await f.paygate.charges.log(charge.id);
      expect(log.filter((l) => l.kind === 'transition').map((l) => l.message)).toEqual([
        expect.stringMatching(/^created/), expect.stringMatching(/^created → pending/), expect.stringMatching(/^pending → succeeded/),
      ]);
    });
  });
}
