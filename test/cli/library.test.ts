/**
 * The library entry (`src/index.ts`, the package's `paygate` import) used exactly as README.md's
 * "Library use" section shows: a transaction-type handler runs after the payment commits, and
 * the same engine can serve the HTTP API.
 */
import { describe, expect, it } from 'vitest';
import {
  createPaygate, openDatabase, migrateToLatest, buildServer, toMajorString,
  type ChargeObject, type TransactionHandler,
} from '../../src/index.js';

describe('paygate as a library', () => {
  it('runs a recharge handler on success and serves the API from the same engine', async () => {
    const credited: Array<[unknown, number]> = [];
    const recharge: TransactionHandler = {
      type: 'recharge',
      async onSuccess(charge: ChargeObject) {
        credited.push([charge.metadata.user_id, charge.amount]);
      },
      resultHtml: (charge) => `<p>Your wallet was topped up by ${toMajorString(charge.amount, charge.currency)} yuan.</p>`,
    };

    const database = openDatabase('sqlite::memory:');
    await migrateToLatest(database);
    const paygate = createPaygate({ database, masterKey: '5a'.repeat(32), publicUrl: 'https://pay.example.com', transactionHandlers: [recharge] });
    const { app, keys } = await paygate.apps.create({ name: 'Shop' });
    await paygate.channels.create(app.id, { type: 'test', livemode: false });
    const scope = { app_id: app.id, livemode: false };
    const charge = await paygate.charges.create(scope, {
      order_no: 'topup-42', channel: 'test', type: 'recharge', amount: 5000, currency: 'cny',
      client_ip: '127.0.0.1', subject: 'Wallet top-up', body: '50 yuan', metadata: { user_id: 'u_7' },
    });
    expect(charge.credential).toEqual({ object: 'credential', test: { pay_url: `https://pay.example.com/pay/test/${charge.id}` } });
    expect(credited).toEqual([]);
    await paygate.charges.simulate(scope, charge.id, 'paid');
    expect(credited).toEqual([['u_7', 5000]]);

    const server = buildServer({ paygate });
    try {
      const response = await server.inject({ method: 'GET', url: `/v1/charges/${charge.id}`, headers: { authorization: `Bearer ${keys.test_secret_key}` } });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ id: charge.id, type: 'recharge', status: 'succeeded', paid: true });
    } finally {
      await server.close();
      await database.close();
    }
  });
});
