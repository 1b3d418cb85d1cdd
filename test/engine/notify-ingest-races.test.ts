import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { engineFixture, chargeInput, type EngineFixture } from '../support/engine.js';
import { hmacChannel, signHmacNotify } from '../support/hmac-channel.js';
import { BUILT_IN_CHANNEL_TYPES } from '../../src/channels/registry.js';
import { batchedChargeReader } from '../../src/engine/charge-reader.js';
import { POSTGRES_BATCH } from '../../src/store/tick-batcher.js';
import type { ChannelObject, ChargeObject } from '../../src/engine/api-types.js';
import type { TransitionWrite } from '../../src/store/charge-writes.js';

const request = (rawBody: string) => ({ method: 'POST', url: '/notify/x', headers: {}, query: {}, rawBody });

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`notify ingestion under concurrency on ${dialect.name}`, () => {
    let f: EngineFixture;
    let channel: ChannelObject;
    beforeAll(async () => {
      f = await engineFixture(dialect, { channelTypes: [...BUILT_IN_CHANNEL_TYPES, hmacChannel] });
      channel = await f.paygate.channels.create(f.scope.app_id, { type: 'hmac', options: { merchant: 'M1', secret: 'notify-secret' } });
    });
    afterEach(() => { vi.restoreAllMocks(); });
    afterAll(async () => { await f?.close(); });

    const newCharge = (): Promise<ChargeObject> => f.paygate.charges.create(f.scope, chargeInput({ channel: 'hmac_pay', amount: 500 }));
    const notify = (charge: ChargeObject, status: 'paid' | 'closed', secret = 'notify-secret') =>
      request(signHmacNotify(secret, { trade: charge.id, merchant: 'M1', amount: String(charge.amount), status, txn: 'TXN1', nid: `n-${status}` }));
    const logOf = (id: string) => f.paygate.charges.log(id);
    /** Runs `act` just before the first transition write of this charge reaches the store; says whether it ran. */
    const beforeFirstWrite = (chargeId: string, act: () => Promise<void>): (() => boolean) => {
      const writes = f.database.chargeWrites;
      const original = writes.applyTransition.bind(writes);
      let ran = false;
      vi.spyOn(writes, 'applyTransition').mockImplementation(async (write: TransitionWrite) => {
        if (!ran && write.charge_id === chargeId) {
          ran = true;
          await act();
        }
        return original(write);
      });
      return () => ran;
    };
    const finalEvents = async (id: string) => (await f.paygate.events.list(f.scope, { charge: id, limit: 100 })).data
      .filter((e) => e.type === 'charge.succeeded' || e.type === 'charge.closed');

    it('reads the charges asked for in one turn with one statement, unknown and repeated ids included', async () => {
      const [a, b] = [await newCharge(), await newCharge()];
      const reader = batchedChargeReader(f.database);
      const rows = await Promise.all([reader.read(a.id), reader.read('ch_doesnotexist000000000000'), reader.read(b.id), reader.read(a.id)]);
      expect(reader.stats).toEqual({ batches: 1, items: 4 });
      expect(rows.map((row) => row?.id)).toEqual([a.id, undefined, b.id, a.id]);
      expect(rows[0]).toMatchObject({ status: 'pending', amount: 500, paying_channel_id: channel.id });
    });

    it('a turn of reads goes as one statement on SQLite and in statements of POSTGRES_BATCH on PostgreSQL', async () => {
      const charges = await Promise.all(Array.from({ length: POSTGRES_BATCH + 8 }, () => newCharge()));
      const reader = batchedChargeReader(f.database);
      const rows = await Promise.all(charges.map((charge) => reader.read(charge.id)));
      expect(rows.map((row) => row?.id)).toEqual(charges.map((charge) => charge.id));
      expect(reader.stats).toEqual({ batches: dialect.name === 'postgres' ? 2 : 1, items: POSTGRES_BATCH + 8 });
    });

    it('concurrent notifies of different charges share one charge read', async () => {
      await f.paygate.notify.ingest(channel.id, notify(await newCharge(), 'paid')); // the channel is cached from here on
      const charges = await Promise.all(Array.from({ length: 10 }, () => newCharge()));
      const before = { ...f.paygate.deps.readers.charges.stats };
      const replies = await Promise.all(charges.map((charge) => f.paygate.notify.ingest(channel.id, notify(charge, 'paid'))));
      expect(replies.every((reply) => reply.body === 'OK')).toBe(true);
      expect(f.paygate.deps.readers.charges.stats.batches - before.batches).toBe(1);
      expect(f.paygate.deps.readers.charges.stats.items - before.items).toBe(10);
      for (const charge of charges) expect((await f.paygate.charges.retrieve(f.scope, charge.id)).status).toBe('succeeded');
    });

    // 20 is the case; POSTGRES_BATCH + 8 copies split into two statements that PostgreSQL
    // runs at once on two connections, so the status guard is what keeps the second from applying.
    for (const copies of [20, POSTGRES_BATCH + 8]) {
      it(`${copies} concurrent copies of one notify give one transition, one event, and ${copies - 1} logged no-ops`, async () => {
        const charge = await newCharge();
        const results = await Promise.all(Array.from({ length: copies }, () => f.paygate.notify.ingestDetailed(channel.id, notify(charge, 'paid'))));
        expect(results.every((r) => r.reply.body === 'OK')).toBe(true);
        expect(results.filter((r) => r.outcome === 'applied')).toHaveLength(1);
        expect(results.filter((r) => r.outcome === 'duplicate')).toHaveLength(copies - 1);
        expect(await finalEvents(charge.id)).toHaveLength(1);
        const log = await logOf(charge.id);
        expect(log.filter((l) => l.kind === 'transition' && l.message.startsWith('pending → succeeded'))).toHaveLength(1);
        expect(log.filter((l) => l.kind === 'notify')).toHaveLength(copies);
        expect(log.filter((l) => l.kind === 'note' && l.message.includes('paid again'))).toHaveLength(copies - 1);
      });
    }

    it('a paid and a closed notify racing end in one final state; the loser is decided again and flagged', async () => {
      for (let round = 0; round < 5; round++) {
        const charge = await newCharge();
        const results = await Promise.all([
          f.paygate.notify.ingestDetailed(channel.id, notify(charge, 'paid')),
          f.paygate.notify.ingestDetailed(channel.id, notify(charge, 'closed')),
        ]);
        expect(results.map((r) => r.outcome).sort()).toEqual(['applied', 'illegal']);
        const status = (await f.paygate.charges.retrieve(f.scope, charge.id)).status;
        expect(status).toBe(results[0]!.outcome === 'applied' ? 'succeeded' : 'closed');
        expect(await finalEvents(charge.id)).toHaveLength(1);
        // Both read `pending`; the loser's line names the status it found when it read again.
        const flagged = (await logOf(charge.id)).filter((l) => l.message.startsWith('NEEDS ATTENTION'));
        expect(flagged).toHaveLength(1);
        expect(flagged[0]!.message).toContain(`but the charge is ${status}`);
      }
    });

    it('a notify whose charge another writer moved between its read and its write reads it again', async () => {
      const charge = await newCharge();
      const raced = beforeFirstWrite(charge.id, async () => { await f.paygate.charges.reverse(f.scope, charge.id); });
      const result = await f.paygate.notify.ingestDetailed(channel.id, notify(charge, 'paid'));
      expect(raced()).toBe(true);
      expect(result.outcome).toBe('illegal');
      expect(result.reply.body).toBe('OK');
      expect((await f.paygate.charges.retrieve(f.scope, charge.id)).status).toBe('closed');
      expect((await f.paygate.events.list(f.scope, { charge: charge.id, type: 'charge.succeeded' })).data).toHaveLength(0);
      expect((await logOf(charge.id)).some((l) => l.message.startsWith('NEEDS ATTENTION') && l.message.includes('but the charge is closed'))).toBe(true);
    });

    it('a notify whose transition write fails is still logged on the charge, with its request', async () => {
      const charge = await newCharge();
      vi.spyOn(f.database.chargeWrites, 'applyTransition').mockRejectedValue(new Error('disk I/O error'));
      await expect(f.paygate.notify.ingestDetailed(channel.id, notify(charge, 'paid'))).rejects.toThrow('disk I/O error');
      vi.restoreAllMocks();
      expect((await f.paygate.charges.retrieve(f.scope, charge.id)).status).toBe('pending');
      const fault = (await logOf(charge.id)).find((l) => l.kind === 'error' && l.message.includes('was not applied (disk I/O error)'));
      expect(fault?.message).toContain('the provider will retry');
      expect(JSON.stringify(fault?.data)).toContain(charge.id);
      // The provider's retry then goes through as usual.
      expect((await f.paygate.notify.ingestDetailed(channel.id, notify(charge, 'paid'))).outcome).toBe('applied');
    });

    it('a notify that finds its own change already made by a copy is a logged no-op', async () => {
      const charge = await newCharge();
      beforeFirstWrite(charge.id, async () => {
        expect((await f.paygate.notify.ingestDetailed(channel.id, notify(charge, 'paid'))).outcome).toBe('applied');
      });
      const result = await f.paygate.notify.ingestDetailed(channel.id, notify(charge, 'paid'));
      expect(result.outcome).toBe('duplicate');
      expect((await f.paygate.events.list(f.scope, { charge: charge.id, type: 'charge.succeeded' })).data).toHaveLength(1);
      expect((await logOf(charge.id)).filter((l) => l.kind === 'transition' && l.message.startsWith('pending → succeeded'))).toHaveLength(1);
    });

    it("a channel's new secret applies to the very next notify (the cached channel is dropped)", async () => {
      const charge = await newCharge();
      expect((await f.paygate.notify.ingest(channel.id, notify(charge, 'paid', 'rolled-secret'))).body).toBe('NO');
      await f.paygate.channels.update(f.scope.app_id, channel.id, { options: { secret: 'rolled-secret' } });
      try {
        expect((await f.paygate.notify.ingest(channel.id, notify(charge, 'paid', 'rolled-secret'))).body).toBe('OK');
      } finally {
        await f.paygate.channels.update(f.scope.app_id, channel.id, { options: { secret: 'notify-secret' } });
      }
    });
  });
}
