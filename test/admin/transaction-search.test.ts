import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../src/core/clock.js';
import { DIALECTS } from '../support/dialects.js';
import { chargeInput, engineFixture, type EngineFixture } from '../support/engine.js';
import { createAdminConsole, type AdminConsole } from '../../src/engine/admin/admin-console.js';
import { parseTransactionFilter } from '../../src/engine/admin/transaction-filter.js';

const START = Date.UTC(2026, 2, 1, 4, 0, 0);

for (const d of DIALECTS) {
  describe.skipIf(!d.available)(`console transaction search (${d.name})`, () => {
    let fx: EngineFixture;
    let admin: AdminConsole;
    const clock = manualClock(START);
    const ids: string[] = [];
    let otherApp = '';
    let refundId = '';

    beforeAll(async () => {
      fx = await engineFixture(d, { clock });
      admin = createAdminConsole(fx.paygate);
      // Twelve charges a minute apart; two share a millisecond so the id breaks the tie.
      for (let i = 0; i < 12; i++) {
        if (i !== 6) clock.advance(60_000);
        const charge = await fx.paygate.charges.create(fx.scope, chargeInput({ order_no: `ORD-${i}`, type: i % 4 === 0 ? 'recharge' : 'order', amount: 100 * (i + 1) }));
        ids.push(charge.id);
        if (i % 3 === 0) await fx.paygate.charges.simulate(fx.scope, charge.id, 'paid');
        if (i === 4) await fx.paygate.charges.simulate(fx.scope, charge.id, 'failed');
      }
      refundId = (await fx.paygate.charges.refund(fx.scope, ids[9], { amount: 100 })).id;
      const other = await fx.paygate.apps.create({ name: 'Other shop' });
      otherApp = other.app.id;
      await fx.paygate.channels.create(otherApp, { type: 'test', options: { payment_password: 'secret-pass' } });
      clock.advance(60_000);
      await fx.paygate.charges.create({ app_id: otherApp, livemode: false }, chargeInput({ order_no: 'OTHER-1' }));
    });
    afterAll(async () => fx?.close());

    const all = (filter: Record<string, string> = {}) => admin.transactions.search(parseTransactionFilter({ livemode: 'false', ...filter }), { limit: 100 });

    it('walks every charge newest first in keyset pages, without gaps or repeats, and back', async () => {
      const seen: string[] = [];
      const pages: Array<{ first: string; prev: string | null }> = [];
      let cursor: string | undefined;
      for (;;) {
        const page = await admin.transactions.search({ livemode: false, app_id: fx.scope.app_id }, { limit: 5, starting_after: cursor });
        pages.push({ first: page.data[0].id, prev: page.prev_cursor });
        seen.push(...page.data.map((t) => t.id));
        if (!page.next_cursor) break;
        cursor = page.next_cursor;
      }
      // Newest first; charges 5 and 6 share a millisecond, so the id (descending) orders them.
      const minute = (i: number) => (i < 6 ? i + 1 : i);
      const expected = ids.map((id, i) => ({ id, t: minute(i) })).sort((a, b) => b.t - a.t || (a.id < b.id ? 1 : -1)).map((x) => x.id);
      expect(seen).toEqual(expected);
      expect(new Set(seen).size).toBe(12);
      expect(pages[0].prev).toBeNull();
      const back = await admin.transactions.search({ livemode: false, app_id: fx.scope.app_id }, { limit: 5, ending_before: pages[2].prev! });
      expect(back.data.map((t) => t.id)).toEqual(seen.slice(5, 10));
      expect(back.next_cursor).not.toBeNull();
    });

    it('filters by app, status, type, channel and mode in SQL', async () => {
      expect((await all({ app_id: otherApp })).data.map((t) => t.order_no)).toEqual(['OTHER-1']);
      const succeeded = await all({ app_id: fx.scope.app_id, status: 'succeeded' });
      expect(succeeded.data.map((t) => t.order_no).sort()).toEqual(['ORD-0', 'ORD-3', 'ORD-6', 'ORD-9']);
      expect((await all({ status: 'closed' })).data.map((t) => t.order_no)).toEqual(['ORD-4']);
      expect((await all({ app_id: fx.scope.app_id, type: 'recharge' })).data.map((t) => t.order_no)).toEqual(['ORD-8', 'ORD-4', 'ORD-0']);
      expect((await all({ channel_id: fx.channel.id })).data).toHaveLength(12);
      expect((await all({ livemode: 'true' })).data).toEqual([]);
      expect((await all({ livemode: 'all', app_id: otherApp })).data).toHaveLength(1);
    });

    it('limits to a creation window', async () => {
      const from = START + 3 * 60_000;
      const to = START + 5 * 60_000 + 1;
      const page = await all({ app_id: fx.scope.app_id, created_gte: String(from), created_lt: String(to) });
      expect(page.data.map((t) => t.order_no)).toEqual(['ORD-4', 'ORD-3', 'ORD-2']);
    });

    it('finds a charge by order_no, id, channel trade number or refund id', async () => {
      expect((await all({ q: 'ORD-7' })).data.map((t) => t.id)).toEqual([ids[7]]);
      expect((await all({ q: ids[2] })).data.map((t) => t.order_no)).toEqual(['ORD-2']);
      const paid = await fx.paygate.charges.retrieve(fx.scope, ids[3]);
      expect((await all({ q: paid.transaction_no! })).data.map((t) => t.id)).toEqual([ids[3]]);
      expect((await all({ q: refundId })).data.map((t) => t.id)).toEqual([ids[9]]);
      expect((await all({ q: 're_doesnotexist' })).data).toEqual([]);
      expect((await all({ q: 'nothing-like-it' })).data).toEqual([]);
    });

    it('shows names and amounts for the table', async () => {
      const [row] = (await all({ q: 'ORD-9' })).data;
      expect(row).toMatchObject({ app_name: 'Test shop', channel_type: 'test', amount: 1000, amount_refunded: 100, status: 'succeeded', livemode: false });
    });

    it('refuses filters it does not understand instead of ignoring them', () => {
      expect(() => parseTransactionFilter({ status: 'paid' })).toThrow(/status must be one of/);
      expect(() => parseTransactionFilter({ livemode: 'yes' })).toThrow(/livemode/);
      expect(() => parseTransactionFilter({ created_gte: '5', created_lt: '4' })).toThrow(/after its start/);
      return expect(admin.transactions.search({}, { starting_after: 'bm90IGEgY3Vyc29y' })).rejects.toThrow(/not a cursor/);
    });

    it('exports the filtered rows as CSV in yuan and in the operator zone', async () => {
      let text = '';
      for await (const chunk of admin.transactions.csv({ livemode: false, app_id: fx.scope.app_id, status: 'succeeded' }, -480)) text += chunk;
      const lines = text.trimEnd().split('\r\n');
      expect(lines[0]).toMatch(/^\uFEFFid,order_no,/);
      expect(lines[0]).toContain('created (UTC+08:00)');
      expect(lines).toHaveLength(5);
      const nine = lines.find((l) => l.includes('ORD-9'))!;
      expect(nine).toContain(',10.00,1.00,');
      // ORD-9 was created nine minutes after 04:00 UTC (5 and 6 share a minute), i.e. 12:09 in UTC+8.
      expect(nine).toContain('2026-03-01 12:09:00');
    });

    it('shows the full detail: timeline, events and what can be done', async () => {
      const detail = await admin.transactions.detail(ids[9]);
      expect(detail.log.filter((l) => l.kind === 'transition').map((l) => l.message)).toEqual(expect.arrayContaining([expect.stringContaining('pending → succeeded')]));
      expect(detail.events.map((e) => e.type)).toEqual(['charge.created', 'charge.pending', 'charge.succeeded', 'refund.succeeded']);
      expect(detail.actions).toEqual({ refund: true, refundable: 900, ship: false, close: false });
      expect((await admin.transactions.detail(ids[1])).actions).toMatchObject({ refund: false, close: true });
    });
  });
}
