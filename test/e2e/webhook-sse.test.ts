/** `GET /v1/charges/:id/stream`: what watchChargeStatus listens to. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { openSse, type SseStream } from '../webhooks/support/sse.js';
import { createPaygate } from '../../src/engine/paygate.js';
import { openDatabase } from '../../src/store/database.js';
import { chargeInput } from '../support/engine.js';
import { startServe, stop, type Served } from '../cli/support.js';

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`charge stream (${dialect.name})`, () => {
    let server: TestServer | undefined;
    let stream: SseStream | undefined;
    afterEach(async () => {
      stream?.close();
      await server?.close();
      server = stream = undefined;
    });

    it('a watcher with the client secret sees pending, then succeeded, then the end', async () => {
      server = await startTestServer({ dialect });
      const scope = { app_id: server.app.id, livemode: false };
      const charge = await server.paygate.charges.create(scope, chargeInput());
      stream = await openSse(`${server.url}/v1/charges/${charge.id}/stream?client_secret=${charge.client_secret}`);
      expect(stream.status).toBe(200);
      const first = await stream.next();
      expect(first?.event).toBe('charge');
      expect(JSON.parse(first!.data)).toMatchObject({ id: charge.id, status: 'pending', paid: false });

      await server.paygate.charges.simulate(scope, charge.id, 'paid');
      const second = await stream.next();
      expect(JSON.parse(second!.data)).toMatchObject({ id: charge.id, status: 'succeeded', paid: true });
      expect(await stream.next()).toBeNull();
    });

    it('answers a final charge with one message, and refuses strangers', async () => {
      server = await startTestServer({ dialect });
      const scope = { app_id: server.app.id, livemode: false };
      const paid = await server.paygate.charges.create(scope, chargeInput());
      await server.paygate.charges.simulate(scope, paid.id, 'paid');
      stream = await openSse(`${server.url}/v1/charges/${paid.id}/stream`, { authorization: `Bearer ${server.keys.test_publishable_key}` });
      expect(JSON.parse((await stream.next())!.data).status).toBe('succeeded');
      expect(await stream.next()).toBeNull();

      const other = await server.paygate.charges.create(scope, chargeInput());
      const foreign = await fetch(`${server.url}/v1/charges/${paid.id}/stream?client_secret=${other.client_secret}`);
      expect(foreign.status).toBe(404);
      expect((await fetch(`${server.url}/v1/charges/${paid.id}/stream`)).status).toBe(401);
      const live = await fetch(`${server.url}/v1/charges/${paid.id}/stream`, { headers: { authorization: `Bearer ${server.keys.live_secret_key}` } });
      expect(live.status).toBe(404);
    });

    it('lets the app\'s own back end watch with its secret key', async () => {
      server = await startTestServer({ dialect });
      const scope = { app_id: server.app.id, livemode: false };
      const charge = await server.paygate.charges.create(scope, chargeInput());
      stream = await openSse(`${server.url}/v1/charges/${charge.id}/stream`, { authorization: `Bearer ${server.keys.test_secret_key}` });
      expect(stream.status).toBe(200);
      expect(JSON.parse((await stream.next())!.data)).toMatchObject({ id: charge.id, status: 'pending' });
      await server.paygate.charges.simulate(scope, charge.id, 'failed');
      expect(JSON.parse((await stream.next())!.data).status).toBe('closed');
      expect(await stream.next()).toBeNull();
    });

    it.skipIf(dialect.name !== 'postgres')('hears a payment made by another paygate engine (LISTEN/NOTIFY)', async () => {
      server = await startTestServer({ dialect });
      const scope = { app_id: server.app.id, livemode: false };
      const charge = await server.paygate.charges.create(scope, chargeInput());
      stream = await openSse(`${server.url}/v1/charges/${charge.id}/stream?client_secret=${charge.client_secret}`);
      expect(JSON.parse((await stream.next())!.data).status).toBe('pending');

      // A second engine with its own in-process bus: only PostgreSQL connects the two.
      const otherDatabase = openDatabase(server.database.url);
      const other = createPaygate({ database: otherDatabase, masterKey: Buffer.alloc(32, 7) });
      try {
        // Let the stream's own catch-up read pass first, so the change can only arrive by NOTIFY.
        await new Promise((resolve) => setTimeout(resolve, 300));
        await other.charges.simulate(scope, charge.id, 'paid');
        expect(JSON.parse((await stream.next(5000))!.data).status).toBe('succeeded');
      } finally {
        await otherDatabase.close();
      }
    });

    // A real `paygate serve` process streams; this test's engine pays: nothing but the database
    // joins them. The process compiles the app through tsx, so allow for a slow start.
    it.skipIf(dialect.name !== 'postgres')('streams from one paygate process a payment another one made', { timeout: 120_000 }, async () => {
      server = await startTestServer({ dialect });
      const scope = { app_id: server.app.id, livemode: false };
      const charge = await server.paygate.charges.create(scope, chargeInput());
      const dataDir = mkdtempSync(join(tmpdir(), 'paygate-sse-'));
      let served: Served | undefined;
      try {
        served = await startServe({ DATABASE_URL: server.database.url, PAYGATE_DATA_DIR: dataDir, PAYGATE_MASTER_KEY: '07'.repeat(32) }, ['--no-jobs', '--no-demo']);
        stream = await openSse(`${served.url}/v1/charges/${charge.id}/stream?client_secret=${charge.client_secret}`);
        expect(stream.status).toBe(200);
        expect(JSON.parse((await stream.next(10_000))!.data).status).toBe('pending');
        await new Promise((resolve) => setTimeout(resolve, 300));
        await server.paygate.charges.simulate(scope, charge.id, 'paid');
        expect(JSON.parse((await stream.next(10_000))!.data)).toMatchObject({ id: charge.id, status: 'succeeded', paid: true });
        expect(await stream.next(10_000)).toBeNull();
      } finally {
        stream?.close();
        if (served) await stop(served);
        rmSync(dataDir, { recursive: true, force: true });
      }
    });
  });
}
