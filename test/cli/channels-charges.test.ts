import { afterEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DIALECTS } from '../support/dialects.js';
import { openDatabase } from '../../src/store/database.js';
import { createPaygate } from '../../src/engine/paygate.js';
import type { ChannelObject, ChargeObject, ListObject } from '../../src/engine/api-types.js';
import { cliEnv, emptyDatabase, runCli, type EmptyDatabase } from './support.js';

for (const d of DIALECTS) {
  describe.skipIf(!d.available)(`paygate channels and charges (${d.name})`, () => {
    let db: EmptyDatabase | undefined;
    afterEach(async () => {
      await db?.drop();
      db = undefined;
    });

    async function newApp(env: Record<string, string>): Promise<string> {
      return (JSON.parse((await runCli(['apps', 'create', '--name', 'CLI shop', '--json'], env)).stdout) as { id: string }).id;
    }

    it('channels create types options by the schema, reads @files, and list masks secrets', async () => {
      db = await emptyDatabase(d.name);
      const env = cliEnv(db);
      const appId = await newApp(env);
      const passwordFile = join(db.dataDir, 'password.txt');
      writeFileSync(passwordFile, 'from-a-file-42');
      const created = await runCli(['channels', 'create', '--app', appId, '--type', 'test', '--name', 'Cashier',
        '--option', `payment_password=@${passwordFile}`, '--option', 'auto_confirm=true', '--fee-percent-bp', '60', '--fee-fixed', '1', '--json'], env);
      expect(created.stderr).toBe('');
      const channel = JSON.parse(created.stdout) as ChannelObject;
      expect(channel).toMatchObject({ type: 'test', name: 'Cashier', livemode: false, enabled: true, fee: { percent_bp: 60, fixed: 1 } });
      expect(channel.options.auto_confirm).toBe(true);
      expect(JSON.stringify(channel.options)).not.toContain('from-a-file-42');

      const listed = await runCli(['channels', 'list', '--app', appId], env);
      expect(listed.stdout).toMatch(new RegExp(`${channel.id}\\s+test\\s+Cashier\\s+test\\s+yes`));
      expect(listed.stdout).not.toContain('from-a-file-42');

      // The secret really was saved (encrypted) with the file's content.
      const database = openDatabase(db.url);
      try {
        const paygate = createPaygate({ database, masterKey: env.PAYGATE_MASTER_KEY });
        const configs = await paygate.channels.configs({ type: 'test', livemode: false });
        expect(configs.find((c) => c.id === channel.id)?.options.payment_password).toBe('from-a-file-42');
      } finally {
        await database.close();
      }
    });

    it('channels create reports a schema violation naming the option', async () => {
      db = await emptyDatabase(d.name);
      const env = cliEnv(db);
      const appId = await newApp(env);
      const bad = await runCli(['channels', 'create', '--app', appId, '--type', 'test', '--option', 'auto_confirm=perhaps'], env);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toContain('options.auto_confirm');
      const unknown = await runCli(['channels', 'create', '--app', appId, '--type', 'nope'], env);
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toContain('channel_type_unknown');
      expect(JSON.parse((await runCli(['channels', 'list', '--app', appId, '--json'], env)).stdout)).toEqual([]);
    });

    it('charges list and get show what the engine did, with the log', async () => {
      db = await emptyDatabase(d.name);
      const env = cliEnv(db);
      const appId = await newApp(env);
      expect((await runCli(['channels', 'create', '--app', appId, '--type', 'test'], env)).code).toBe(0);
      const database = openDatabase(db.url);
      let charge: ChargeObject;
      try {
        const paygate = createPaygate({ database, masterKey: env.PAYGATE_MASTER_KEY });
        const scope = { app_id: appId, livemode: false };
        charge = await paygate.charges.create(scope, { order_no: 'cli-1', channel: 'test', amount: 1234, currency: 'cny', client_ip: '127.0.0.1', subject: 'Tea', body: 'Green tea' });
        await paygate.charges.simulate(scope, charge.id, 'paid');
      } finally {
        await database.close();
      }

      const list = await runCli(['charges', 'list', '--app', appId, '--json'], env);
      const parsed = JSON.parse(list.stdout) as ListObject<ChargeObject>;
      expect(parsed.data.map((c) => [c.id, c.status])).toEqual([[charge.id, 'succeeded']]);
      const table = await runCli(['charges', 'list', '--app', appId], env);
      expect(table.stdout).toMatch(new RegExp(`${charge.id}\\s+cli-1\\s+test\\s+12\\.34 CNY\\s+succeeded`));
      expect(JSON.parse((await runCli(['charges', 'list', '--app', appId, '--live', '--json'], env)).stdout).data).toEqual([]);

      const got = await runCli(['charges', 'get', charge.id, '--log'], env);
      expect(got.code).toBe(0);
      expect(got.stdout).toMatch(/status\s+succeeded/);
      expect(got.stdout).toMatch(/amount\s+12\.34 CNY/);
      expect(got.stdout).toContain('transition');

      const missing = await runCli(['charges', 'get', 'ch_doesnotexist'], env);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain('resource_not_found');
    });
  });
}
