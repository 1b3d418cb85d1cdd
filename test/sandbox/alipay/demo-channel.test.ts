/** First start: the demo app gets an Alipay channel on the embedded sandbox, and alipay_qr works at once. */
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DIALECTS } from '../../support/dialects.js';
import { createPaygate } from '../../../src/engine/paygate.js';
import { buildServer } from '../../../src/http/server.js';
import { seedDemoIfEmpty } from '../../../src/cli/demo.js';

const dirs: string[] = [];
afterAll(() => { for (const dir of dirs) rmSync(dir, { recursive: true, force: true }); });

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`the demo Alipay channel (${dialect.name})`, () => {
    it('is created with generated keys and pays an alipay_qr charge through the embedded sandbox', async () => {
      const database = await dialect.open();
      const paygate = createPaygate({ database, masterKey: Buffer.alloc(32, 3) });
      const server = buildServer({ paygate });
      const dataDir = mkdtempSync(join(tmpdir(), 'paygate-demo-'));
      dirs.push(dataDir);
      try {
        const url = (await server.listen({ host: '127.0.0.1', port: 0 })).replace(/\/+$/, '');
        paygate.setPublicUrl(url);
        const seeded = await seedDemoIfEmpty({ paygate, dataDir, baseUrl: url });
        expect(seeded.failures).toEqual([]);
        for (const file of ['config.json', 'app_private_key.pem', 'app_public_key.pem', 'alipay_public_key.pem']) expect(existsSync(join(dataDir, 'alipay-demo', file))).toBe(true);
        const scope = { app_id: seeded.demo!.app_id, livemode: false };
        const channels = await paygate.channels.list(scope.app_id);
        expect(channels.find((c) => c.type === 'alipay')).toMatchObject({ enabled: true, livemode: false });
        const charge = await paygate.charges.create(scope, { order_no: 'demo-1', channel: 'alipay_qr', amount: 1, currency: 'cny', client_ip: '127.0.0.1', subject: 'Demo', body: 'Demo' });
        const qr = (charge.credential.alipay_qr as { qr_code: string }).qr_code;
        expect(qr.startsWith(`${url}/sandbox/alipay/qr/`)).toBe(true);
        expect((await fetch(qr)).status).toBe(200);
        expect((await paygate.charges.retrieve(scope, charge.id)).status).toBe('succeeded');
        // No key had to be fetched: the demo channel carries the sandbox's public key.
        const log = await paygate.charges.log(charge.id);
        expect(log.some((line) => line.message.includes('alipay_public_key.pem'))).toBe(false);
      } finally {
        await server.close();
        await database.close();
      }
    });
  });
}
