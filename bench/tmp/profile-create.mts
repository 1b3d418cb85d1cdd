import { randomBytes } from 'node:crypto';
import { openDatabase } from '../../src/store/database.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { createPaygate } from '../../src/engine/paygate.js';
const database = openDatabase('sqlite::memory:');
await migrateToLatest(database);
const pg = createPaygate({ database, masterKey: randomBytes(32) });
const { app } = await pg.apps.create({ name: 'b' });
await pg.channels.create(app.id, { type: 'test' });
const scope = { app_id: app.id, livemode: false };
const N = Number(process.argv[2] ?? 3000);
const t0 = performance.now();
for (let i = 0; i < N; i++) {
  const c = await pg.charges.create(scope, { order_no: `o${i}`, channel: 'test', amount: 100, currency: 'cny', client_ip: '127.0.0.1', subject: 's', body: 'b' } as never);
  if (i % 2 === 0) await pg.charges.simulate(scope, c.id, 'paid');
}
const ms = performance.now() - t0;
console.log(`${(ms / N).toFixed(3)} ms per create(+half pay)`);
