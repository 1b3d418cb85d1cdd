import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../src/core/clock.js';
import { DIALECTS } from '../support/dialects.js';
import { chargeInput, engineFixture, type EngineFixture } from '../support/engine.js';
import { createAdminConsole, type AdminConsole } from '../../src/engine/admin/admin-console.js';

// 2026-03-10 10:00 in China (02:00 UTC).
const NOW = Date.UTC(2026, 2, 10, 2, 0, 0);
const DAY = 86_400_000;

for (const d of DIALECTS) {
  describe.skipIf(!d.available)(`console dashboard (${d.name})`, () => {
    let fx: EngineFixture;
    let admin: AdminConsole;
    const clock = manualClock(NOW - 20 * DAY);

    async function chargeAt(at: number, outcome: 'paid' | 'failed' | 'pending', amount: number, type = 'order') {
      clock.set(at);
      const charge = await fx.paygate.charges.create(fx.scope, chargeInput({ amount, type }));
      if (outcome !== 'pending') await fx.paygate.charges.simulate(fx.scope, charge.id, outcome);
      return charge.id;
    }

    beforeAll(async () => {
      fx = await engineFixture(d, { clock });
      admin = createAdminConsole(fx.paygate);
      await chargeAt(NOW - 20 * DAY, 'paid', 5000);           // in 30 days only
      await chargeAt(NOW - 3 * DAY, 'failed', 700, 'recharge'); // 7 and 30 days
      const refunded = await chargeAt(NOW - 3 * DAY + 1000, 'paid', 2000);
      await fx.paygate.charges.refund(fx.scope, refunded, { amount: 500 });
      // 00:30 China time today is 16:30 UTC yesterday: still "today" for an operator in UTC+8.
      await chargeAt(Date.UTC(2026, 2, 9, 16, 30), 'paid', 1234);
      await chargeAt(NOW - 60_000, 'pending', 999);
      await fx.paygate.apps.create({ name: 'Needs payment', requires_payment: true });
      clock.set(NOW);
    });
    afterAll(async () => fx?.close());

    it('sums today, 7 and 30 days in the operator zone, with the success rate of finished charges', async () => {
      const board = await admin.dashboard({ livemode: false, offsetMinutes: -480 });
      expect(board.periods.today).toMatchObject({ count: 2, paid_count: 1, closed_count: 0, volume: { cny: 1234 }, success_rate: 1 });
      expect(board.periods.d7).toMatchObject({ count: 4, paid_count: 2, closed_count: 1, volume: { cny: 3234 }, refunded: { cny: 500 } });
      expect(board.periods.d7.success_rate).toBeCloseTo(2 / 3);
      expect(board.periods.d30).toMatchObject({ count: 5, paid_count: 3, volume: { cny: 8234 } });
      const utc = await admin.dashboard({ livemode: false, offsetMinutes: 0 });
      expect(utc.periods.today.count).toBe(1);
    });

    it('draws 30 days ending today, and splits by channel and transaction type', async () => {
      const board = await admin.dashboard({ livemode: false, offsetMinutes: -480 });
      expect(board.series).toHaveLength(30);
      expect(board.series[29]).toMatchObject({ day: '2026-03-10', count: 2, paid_count: 1, volume: { cny: 1234 } });
      expect(board.series[0].day).toBe('2026-02-09');
      expect(board.by_channel).toEqual([expect.objectContaining({ key: fx.channel.id, count: 5, paid_count: 3 })]);
      expect(board.by_type.map((t) => [t.key, t.count])).toEqual([['order', 4], ['recharge', 1]]);
    });

    it('lists recent failures and reminds of apps that need payment but have no enabled channel', async () => {
      const board = await admin.dashboard({ livemode: false, offsetMinutes: -480 });
      expect(board.recent_failures).toEqual([expect.objectContaining({ kind: 'charge', amount: 700, code: 'buyer_failed' })]);
      expect(board.reminders.map((r) => r.app_name)).toEqual(['Needs payment']);
      const app = (await fx.paygate.apps.list()).find((a) => a.name === 'Needs payment')!;
      await fx.paygate.channels.create(app.id, { type: 'test', options: { payment_password: 'secret-pass' } });
      expect((await admin.dashboard({ livemode: false, offsetMinutes: -480 })).reminders).toEqual([]);
      // Live mode still has no enabled channel for it.
      expect((await admin.dashboard({ livemode: true, offsetMinutes: -480 })).reminders.map((r) => r.app_name)).toEqual(['Needs payment']);
    });

    it('reports webhook delivery health from the webhook tables', async () => {
      const board = await admin.dashboard({ livemode: false, offsetMinutes: -480 });
      expect(board.webhooks).toMatchObject({ succeeded: 0, failed: 0, success_rate: null });
    });
  });
}
