/** A paygate engine on a fresh database, with one app, its keys and an enabled test channel. */
import { randomBytes } from 'node:crypto';
import { createPaygate, type Paygate, type PaygateOptions } from '../../src/engine/paygate.js';
import type { TestDialect } from './dialects.js';
import type { Scope, AppKeys, ChannelObject } from '../../src/engine/api-types.js';
import type { Database } from '../../src/store/database.js';

export interface EngineFixture {
  readonly paygate: Paygate;
  readonly database: Database;
  readonly scope: Scope;
  readonly keys: AppKeys;
  readonly channel: ChannelObject;
  close(): Promise<void>;
}

export async function engineFixture(dialect: TestDialect, options: Partial<PaygateOptions> = {}): Promise<EngineFixture> {
  const database = await dialect.open();
  const paygate = createPaygate({ database, masterKey: randomBytes(32), publicUrl: 'http://127.0.0.1:9', ...options });
  const { app, keys } = await paygate.apps.create({ name: 'Test shop' });
  const channel = await paygate.channels.create(app.id, { type: 'test', options: { payment_password: 'secret-pass' } });
  return { paygate, database, scope: { app_id: app.id, livemode: false }, keys, channel, close: () => database.close() };
}

let counter = 0;
/** A valid charge request; fields may be overridden. */
export function chargeInput(overrides: Record<string, unknown> = {}) {
  counter++;
  return {
    order_no: `order-${Date.now()}-${counter}`,
    channel: 'test',
    amount: 1000,
    currency: 'cny',
    client_ip: '127.0.0.1',
    subject: 'Test order',
    body: 'Two coffees',
    ...overrides,
  } as never;
}
