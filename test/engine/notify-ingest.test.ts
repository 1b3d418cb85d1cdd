import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { engineFixture, chargeInput, type EngineFixture } from '../support/engine.js';
import { hmacChannel, signHmacNotify } from '../support/hmac-channel.js';
import { BUILT_IN_CHANNEL_TYPES } from '../../src/channels/registry.js';
import type { ChannelObject, ChargeObject } from '../../src/engine/api-types.js';

const request = (rawBody: string) => ({ method: 'POST', url: '/notify/x', headers: {}, query: {}, rawBody });

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`notify ingestion on ${dialect.name}`, () => {
    let f: EngineFixture;
    let channel: ChannelObject;
    beforeAll(async () => {
      f = await engineFixture(dialect, { channelTypes: [...BUILT_IN_CHANNEL_TYPES, hmacChannel] });
      channel = await f.paygate.channels.create(f.scope.app_id, { type: 'hmac', options: { merchant: 'M1', secret: 'notify-secret' } });
    });
    afterAll(async () => { await f?.close(); });

    const newCharge = (amount = 500): Promise<ChargeObject> => f.paygate.charges.create(f.scope, chargeInput({ channel: 'hmac_pay', amount }));
    const paidNotify = (charge: ChargeObject, overrides: Record<string, string> = {}, secret = 'notify-secret') =>
      request(signHmacNotify(secret, { trade: charge.id, merchant: 'M1', amount: String(charge.amount), status: 'paid', txn: 'TXN1', nid: 'n1', ...overrides }));
    const status = async (id: string) => (await f.paygate.charges.retrieve(f.scope, id)).status;

    it('a verified notify pays the charge, and is acknowledged only after the commit', async () => {
      const charge = await newCharge();
      const reply = await f.paygate.notify.ingest(channel.id, paidNotify(charge));
      expect(reply).toEqual({ status: 200, body: 'OK' });
      const after = await f.paygate.charges.retrieve(f.scope, charge.id);
      expect(after).toMatchObject({ status: 'succeeded', transaction_no: 'TXN1' });
    });

    it('a second identical notify changes nothing and emits nothing', async () => {
      const charge = await newCharge();
      await f.paygate.notify.ingest(channel.id, paidNotify(charge));
      const second = await f.paygate.notify.ingestDetailed(channel.id, paidNotify(charge));
      expect(second.outcome).toBe('duplicate');
      expect(second.reply.body).toBe('OK');
      expect((await f.paygate.events.list(f.scope, { charge: charge.id, type: 'charge.succeeded' })).data).toHaveLength(1);
    });

    it('a forged signature changes nothing, is never acknowledged, and is logged on the charge', async () => {
      const charge = await newCharge();
      const reply = await f.paygate.notify.ingest(channel.id, paidNotify(charge, {}, 'guessed-secret'));
      expect(reply.body).toBe('NO');
      expect(await status(charge.id)).toBe('pending');
      const log = await f.paygate.charges.log(charge.id);
      expect(log.some((l) => l.kind === 'error' && l.message.includes('bad signature'))).toBe(true);
    });

    it('a validly signed notify with another amount changes nothing', async () => {
      const charge = await newCharge(500);
      const reply = await f.paygate.notify.ingest(channel.id, paidNotify(charge, { amount: '1' }));
      expect(reply.body).toBe('NO');
      expect(await status(charge.id)).toBe('pending');
      expect((await f.paygate.charges.log(charge.id)).some((l) => l.message.includes('amount 1 does not match'))).toBe(true);
    });

    it('another merchant, an unknown charge, or another channel\'s charge change nothing', async () => {
      const charge = await newCharge();
      expect((await f.paygate.notify.ingest(channel.id, paidNotify(charge, { merchant: 'M2' }))).body).toBe('NO');
      expect((await f.paygate.notify.ingest(channel.id, paidNotify(charge, { trade: 'ch_doesnotexist000000000000' }))).body).toBe('NO');
      const testCharge = await f.paygate.charges.create(f.scope, chargeInput());
      expect((await f.paygate.notify.ingest(channel.id, paidNotify(testCharge, { amount: '1000' }))).body).toBe('NO');
      expect(await status(charge.id)).toBe('pending');
      expect(await status(testCharge.id)).toBe('pending');
      const orphans = await f.database.db.selectFrom('charge_logs').selectAll().where('charge_id', 'is', null).where('channel_id', '=', channel.id).execute();
      expect(orphans.length).toBeGreaterThanOrEqual(2);
    });

    it('an unknown channel id is refused', async () => {
      const charge = await newCharge();
      const reply = await f.paygate.notify.ingest('chn_nope', paidNotify(charge));
      expect(reply.status).toBe(400);
    });

    it('a notify arriving after the charge closed is flagged, not applied', async () => {
      const charge = await newCharge();
      await f.paygate.charges.reverse(f.scope, charge.id);
      const result = await f.paygate.notify.ingestDetailed(channel.id, paidNotify(charge));
      expect(result.outcome).toBe('illegal');
      expect(await status(charge.id)).toBe('closed');
      expect((await f.paygate.charges.log(charge.id)).some((l) => l.message.startsWith('NEEDS ATTENTION'))).toBe(true);
    });

    it('20 concurrent copies of one notify give one transition and one event', async () => {
      const charge = await newCharge();
      const results = await Promise.all(Array.from({ length: 20 }, () => f.paygate.notify.ingestDetailed(channel.id, paidNotify(charge))));
      expect(results.every((r) => r.reply.body === 'OK')).toBe(true);
      expect(results.filter((r) => r.outcome === 'applied')).toHaveLength(1);
      expect((await f.paygate.events.list(f.scope, { charge: charge.id, type: 'charge.succeeded' })).data).toHaveLength(1);
    });

    it('masks the channel secret in logs and stores it encrypted', async () => {
      const row = await f.database.db.selectFrom('channels').selectAll().where('id', '=', channel.id).executeTakeFirstOrThrow();
      expect(row.secret_options).not.toContain('notify-secret');
      expect(row.options).not.toContain('notify-secret');
      const read = await f.paygate.channels.retrieve(f.scope.app_id, channel.id);
      expect(JSON.stringify(read)).not.toContain('notify-secret');
      expect(read.options).toMatchObject({ merchant: 'M1', secret: expect.stringMatching(/^\*\*\*\*/) });
    });
  });
}
