/**
 * A real paygate HTTP server for tests: a fresh database of the given dialect, the engine, the
 * HTTP server listening on 127.0.0.1 on a free port (the engine's public URL is set to it, so
 * pay URLs, notify URLs and sandbox gateways point back at this server), and one app with its
 * keys and an enabled `test` channel. `close()` stops the server and drops the database.
 */
import type { FastifyInstance } from 'fastify';
import { createPaygate, type Paygate, type PaygateOptions } from '../../src/engine/paygate.js';
import type { AppKeys, AppObject, ChannelObject } from '../../src/engine/api-types.js';
import type { Database } from '../../src/store/database.js';
import { buildServer } from '../../src/http/server.js';
import { DIALECTS, type TestDialect } from './dialects.js';

export interface TestServer {
  /** Base URL, e.g. `http://127.0.0.1:43121` (no trailing slash). */
  readonly url: string;
  readonly paygate: Paygate;
  readonly database: Database;
  readonly server: FastifyInstance;
  readonly app: AppObject;
  readonly keys: AppKeys;
  /** The app's enabled test-mode `test` channel. */
  readonly testChannel: ChannelObject;
  close(): Promise<void>;
}

export interface StartTestServerOptions {
  /** `sqlite` (default) or `postgres`, or a dialect from `DIALECTS`. */
  readonly dialect?: TestDialect | TestDialect['name'];
  /** Options of the `test` channel created for the app (default password `123456`). */
  readonly testChannelOptions?: Record<string, unknown>;
  /** Extra engine options (clock, channel types, transaction handlers …). */
  readonly paygateOptions?: Partial<Omit<PaygateOptions, 'database'>>;
  readonly bodyLimit?: number;
}

function pickDialect(dialect: StartTestServerOptions['dialect']): TestDialect {
  if (dialect && typeof dialect === 'object') return dialect;
  const name = dialect ?? 'sqlite';
  const found = DIALECTS.find((d) => d.name === name);
  if (!found) throw new Error(`Unknown dialect ${name}`);
  if (!found.available) throw new Error(`The ${name} dialect is not available (set PAYGATE_TEST_DATABASE_URL)`);
  return found;
}

export async function startTestServer(options: StartTestServerOptions = {}): Promise<TestServer> {
  const database = await pickDialect(options.dialect).open();
  const paygate = createPaygate({ masterKey: Buffer.alloc(32, 7), ...options.paygateOptions, database });
  const server = buildServer({ paygate, bodyLimit: options.bodyLimit });
  try {
    const address = await server.listen({ host: '127.0.0.1', port: 0 });
    const url = address.replace('localhost', '127.0.0.1').replace(/\/+$/, '');
    paygate.setPublicUrl(url);
    const { app, keys } = await paygate.apps.create({ name: 'Test shop' });
    const testChannel = await paygate.channels.create(app.id, {
      type: 'test', name: 'Test channel', livemode: false, enabled: true,
      options: { payment_password: '123456', ...options.testChannelOptions },
    });
    return {
      url, paygate, database, server, app: await paygate.apps.retrieve(app.id), keys, testChannel,
      async close() {
        await server.close();
        await database.close();
      },
    };
  } catch (error) {
    await server.close();
    await database.close();
    throw error;
  }
}
