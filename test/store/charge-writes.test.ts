import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { sql } from 'kysely';
import { DIALECTS } from '../support/dialects.js';
import { openDatabase, type Database } from '../../src/store/database.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { CHARGE_COLUMNS, type ChargeRecord, type NewChargeWrite, type TransitionWrite } from '../../src/store/charge-writes.js';
import { newId } from '../../src/core/ids.js';
import { POSTGRES_BATCH } from '../../src/store/tick-batcher.js';

let serial = 0;

function newCharge(appId: string, overrides: Partial<ChargeRecord> = {}): ChargeRecord {
  const id = newId('charge');
  return {
    id, app_id: appId, channel_id: 'chn_x', paying_channel_id: 'chn_x', livemode: 0, order_no: `o-${++serial}`, channel: 'test',
    type: 'payment', amount: 100, currency: 'cny', amount_refunded: 0, fee: 0, amount_settle: 100, status: 'pending', escrow: 0,
    client_ip: '127.0.0.1', subject: 's', body: 'b', description: null, extra: '{}', metadata: '{}', credential: '{}', extension: '{}',
    transaction_no: null, failure_code: null, failure_msg: null, closed_reason: null, shipment: null, notify_url: null, return_url: null,
    client_secret: `${id}_secret`, time_expire: 9e12, time_paid: null, time_shipped: null, time_succeeded: null, time_closed: null,
    created_at: 1, updated_at: 1, ...overrides,
  };
}

function insertWrite(charge: ChargeRecord): NewChargeWrite {
  return {
    charge,
    logs: [{ charge_id: charge.id, app_id: charge.app_id, channel_id: 'chn_x', at: 1, kind: 'transition', message: `created ${charge.id}`, data: null }],
    events: [{ id: newId('event'), app_id: charge.app_id, livemode: 0, type: 'charge.created', charge_id: charge.id, channel_id: 'chn_x', data: '{}', created_at: 1 }],
  };
}

function paidWrite(charge: ChargeRecord, tag: string, set: Partial<ChargeRecord> = {}): TransitionWrite {
  return {
    charge_id: charge.id, expected_status: 'pending', set: { status: 'succeeded', time_paid: 5, updated_at: 5, ...set },
    logs: [{ charge_id: charge.id, app_id: charge.app_id, channel_id: 'chn_x', at: 5, kind: 'transition', message: `paid by ${tag}`, data: null }],
    events: [{ id: newId('event'), app_id: charge.app_id, livemode: 0, type: 'charge.succeeded', charge_id: charge.id, channel_id: 'chn_x', data: JSON.stringify({ tag }), created_at: 5 }],
  };
}

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`charge writes on ${dialect.name}`, () => {
    let database: Database;
    const appId = 'app_writes';
    beforeEach(async () => {
      database = await dialect.open();
      await database.db.insertInto('apps').values({ id: appId, name: 'w', requires_payment: 0, allowed_redirect_hosts: '[]', created_at: 1, updated_at: 1 }).execute();
    });
    afterEach(() => database.close());

    const rowsOf = async (chargeId: string) => ({
      logs: await database.db.selectFrom('charge_logs').select('message').where('charge_id', '=', chargeId).orderBy('seq').execute(),
      events: await database.db.selectFrom('events').select(['type', 'data']).where('charge_id', '=', chargeId).orderBy('seq').execute(),
    });

    it('knows every column of the charges table, in order', async () => {
      const columns = dialect.name === 'sqlite'
        ? (await sql<{ name: string }>`select name from pragma_table_info('charges')`.execute(database.db)).rows.map((r) => r.name)
        : (await sql<{ name: string }>`select column_name as name from information_schema.columns where table_name = 'charges' and table_schema = current_schema() order by ordinal_position`.execute(database.db)).rows.map((r) => r.name);
      expect(CHARGE_COLUMNS.map(([name]) => name)).toEqual(columns);
    });

    it('inserts concurrent charges with their logs and events, each committed once', async () => {
      const charges = Array.from({ length: 40 }, () => newCharge(appId));
      const outcomes = await Promise.all(charges.map((charge) => database.chargeWrites.insertCharge(insertWrite(charge))));
      expect(outcomes).toEqual(charges.map(() => 'inserted'));
      for (const charge of charges.slice(0, 3)) {
        const stored = await database.db.selectFrom('charges').selectAll().where('id', '=', charge.id).executeTakeFirstOrThrow();
        expect(stored).toEqual(charge);
        expect(await rowsOf(charge.id)).toEqual({ logs: [{ message: `created ${charge.id}` }], events: [{ type: 'charge.created', data: '{}' }] });
      }
    });

    it.runIf(dialect.name === 'postgres')('sends a turn of writes as statements of POSTGRES_BATCH writes each', async () => {
      const pool = database.pool!;
      const texts: string[] = [];
      const query = pool.query.bind(pool);
      const spy = vi.spyOn(pool, 'query').mockImplementation(((config: { name?: string }, ...rest: unknown[]) => {
        if (config.name) texts.push(config.name);
        return (query as (...args: unknown[]) => unknown)(config, ...rest);
      }) as typeof pool.query);
      const charges = Array.from({ length: POSTGRES_BATCH + 8 }, () => newCharge(appId));
      expect(await Promise.all(charges.map((charge) => database.chargeWrites.insertCharge(insertWrite(charge))))).toEqual(charges.map(() => 'inserted'));
      spy.mockRestore();
      expect(texts).toEqual(['paygate_insert_charges', 'paygate_insert_charges']);
    });

    it('stores log and event data exactly as given: key order, spacing, escapes and other scripts', async () => {
      const charge = newCharge(appId);
      const eventData = '{"z":1,"a":{"q":"say \\"hi\\"","path":"C:\\\\tmp","nl":"a\\nb"},  "s":"支付 ✓","u":"\\u00e9"}';
      const logData = '{"request":{"body":"<xml><sign><![CDATA[***]]></sign></xml>"},"facts":{}}';
      const write = insertWrite(charge);
      await database.chargeWrites.insertCharge({ ...write, logs: [{ ...write.logs[0]!, data: logData }, { ...write.logs[0]!, message: 'no data', data: null }], events: [{ ...write.events[0]!, data: eventData }] });
      const paid = paidWrite(charge, 'verbatim');
      await database.chargeWrites.applyTransition({ ...paid, events: [{ ...paid.events[0]!, data: eventData }], logs: [{ ...paid.logs[0]!, data: logData }] });
      const logs = await database.db.selectFrom('charge_logs').select('data').where('charge_id', '=', charge.id).orderBy('seq').execute();
      const events = await database.db.selectFrom('events').select('data').where('charge_id', '=', charge.id).orderBy('seq').execute();
      expect(logs.map((row) => row.data)).toEqual([logData, null, logData]);
      expect(events.map((row) => row.data)).toEqual([eventData, eventData]);
    });

    it('a taken order_no leaves that charge out, and only that one, even within one batch', async () => {
      const first = newCharge(appId, { order_no: 'dup-1' });
      await database.chargeWrites.insertCharge(insertWrite(first));
      const again = newCharge(appId, { order_no: 'dup-1' });
      const twinA = newCharge(appId, { order_no: 'dup-2' });
      const twinB = newCharge(appId, { order_no: 'dup-2' });
      const other = newCharge(appId);
      const outcomes = await Promise.all([again, twinA, twinB, other].map((charge) => database.chargeWrites.insertCharge(insertWrite(charge))));
      expect(outcomes).toEqual(['order_no_in_use', 'inserted', 'order_no_in_use', 'inserted']);
      for (const lost of [again, twinB]) expect(await rowsOf(lost.id)).toEqual({ logs: [], events: [] });
      expect((await rowsOf(other.id)).events).toHaveLength(1);
    });

    it('a write that breaks a constraint fails alone; its neighbours in the batch commit', async () => {
      const bad = newCharge(appId, { subject: null as unknown as string });
      const good = Array.from({ length: 5 }, () => newCharge(appId));
      const results = await Promise.allSettled([bad, ...good].map((charge) => database.chargeWrites.insertCharge(insertWrite(charge))));
      expect(results[0]!.status).toBe('rejected');
      expect(results.slice(1).map((r) => r.status === 'fulfilled' && r.value)).toEqual(good.map(() => 'inserted'));
      expect(await rowsOf(bad.id)).toEqual({ logs: [], events: [] });
    });

    it('applies a transition only from the expected status; of racing ones exactly one wins, with only its rows', async () => {
      const charge = newCharge(appId);
      await database.chargeWrites.insertCharge(insertWrite(charge));
      const outcomes = await Promise.all(['a', 'b', 'c', 'd'].map((tag) => database.chargeWrites.applyTransition(paidWrite(charge, tag, { transaction_no: `t-${tag}` }))));
      expect(outcomes.filter((o) => o === 'applied')).toHaveLength(1);
      expect(outcomes.filter((o) => o === 'status_changed')).toHaveLength(3);
      const winner = ['a', 'b', 'c', 'd'][outcomes.indexOf('applied')]!;
      const stored = await database.db.selectFrom('charges').selectAll().where('id', '=', charge.id).executeTakeFirstOrThrow();
      expect(stored).toMatchObject({ status: 'succeeded', time_paid: 5, transaction_no: `t-${winner}`, amount: 100, subject: 's' });
      const rows = await rowsOf(charge.id);
      expect(rows.logs.map((l) => l.message)).toEqual([`created ${charge.id}`, `paid by ${winner}`]);
      expect(rows.events).toEqual([{ type: 'charge.created', data: '{}' }, { type: 'charge.succeeded', data: JSON.stringify({ tag: winner }) }]);
      expect(await database.chargeWrites.applyTransition(paidWrite(charge, 'late'))).toBe('status_changed');
    });

    it('a transition can set a column to null, and refuses a column the table lacks', async () => {
      const charge = newCharge(appId, { failure_code: 'x', failure_msg: 'y' });
      await database.chargeWrites.insertCharge(insertWrite(charge));
      expect(await database.chargeWrites.applyTransition(paidWrite(charge, 'n', { failure_code: null }))).toBe('applied');
      const stored = await database.db.selectFrom('charges').select(['failure_code', 'failure_msg']).where('id', '=', charge.id).executeTakeFirstOrThrow();
      expect(stored).toEqual({ failure_code: null, failure_msg: 'y' });
      await expect(database.chargeWrites.applyTransition(paidWrite(charge, 'n', { nonsense: 1 } as never))).rejects.toThrow(/cannot set charges.nonsense/);
    });
  });
}

describe('charge writes on SQLite, both connections', () => {
  let database: Database | undefined;
  afterEach(() => database?.close());

  it('an in-memory database (no writer thread) writes on its one connection', async () => {
    database = openDatabase('sqlite::memory:');
    await migrateToLatest(database);
    await database.db.insertInto('apps').values({ id: 'app_mem', name: 'm', requires_payment: 0, allowed_redirect_hosts: '[]', created_at: 1, updated_at: 1 }).execute();
    const charge = newCharge('app_mem');
    expect(await database.chargeWrites.insertCharge(insertWrite(charge))).toBe('inserted');
    expect(await database.chargeWrites.applyTransition(paidWrite(charge, 'm'))).toBe('applied');
    expect(await database.db.selectFrom('charges').select('status').where('id', '=', charge.id).executeTakeFirst()).toEqual({ status: 'succeeded' });
  });

  it('concurrent charge writes share the writer thread\'s commits', async () => {
    database = await DIALECTS.find((d) => d.name === 'sqlite')!.open();
    await database.db.insertInto('apps').values({ id: 'app_batch', name: 'b', requires_payment: 0, allowed_redirect_hosts: '[]', created_at: 1, updated_at: 1 }).execute();
    const charges = Array.from({ length: 50 }, () => newCharge('app_batch'));
    await Promise.all(charges.map((charge) => database!.chargeWrites.insertCharge(insertWrite(charge))));
    expect(database.writerStats!.writes).toBe(50);
    // 50 writes of one turn: the first 32 leave at once (pipelined), the other 18 at the turn's end.
    expect(database.writerStats!.batches).toBe(2);
  });

  it('units of work on the main connection and the writer thread take turns, never colliding', async () => {
    const sqlite = DIALECTS.find((d) => d.name === 'sqlite')!;
    database = await sqlite.open();
    const db = database;
    await db.db.insertInto('apps').values({ id: 'app_both', name: 'b', requires_payment: 0, allowed_redirect_hosts: '[]', created_at: 1, updated_at: 1 }).execute();
    const charges = Array.from({ length: 60 }, () => newCharge('app_both'));
    const work = charges.flatMap((charge, i) => [
      db.chargeWrites.insertCharge(insertWrite(charge)),
      db.transaction((trx) => trx.insertInto('meta').values({ key: `k${i}`, value: 'v' }).execute()),
    ]);
    await Promise.all(work);
    const counted = await db.db.selectFrom('charges').select((eb) => eb.fn.countAll<number>().as('n')).where('app_id', '=', 'app_both').executeTakeFirstOrThrow();
    expect(Number(counted.n)).toBe(60);
    const meta = await db.db.selectFrom('meta').select('key').where('key', 'like', 'k%').execute();
    expect(meta).toHaveLength(60);
  });
});
