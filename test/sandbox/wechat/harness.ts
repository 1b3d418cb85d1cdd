/**
 * A standalone WeChat sandbox (fresh keys directory, compressed retries), a notify receiver
 * that records what it is sent and answers as told, and a ChannelContext wired to both — so the
 * channel and the sandbox are tested against each other without the engine.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { ChannelContext, ChargeView, InboundRequest, RefundView } from '../../../src/channels/contract.js';
import { systemClock } from '../../../src/core/clock.js';
import { newId } from '../../../src/core/ids.js';
import { loggedChannelHttp } from '../../../src/engine/channel-http.js';
import type { LogLine } from '../../../src/engine/charge-log.js';
import { startStandaloneWechatSandbox, type StandaloneSandbox } from '../../../src/sandbox/wechat/standalone.js';

export interface Received {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly url: string;
}

export interface Receiver {
  readonly url: string;
  readonly received: Received[];
  /** What to answer next (defaults to WeChat's "received" in the right format). */
  replies: ((request: Received) => { status: number; body: string })[];
  waitFor(count: number, timeoutMs?: number): Promise<Received[]>;
  close(): Promise<void>;
}

const V2_OK = '<xml><return_code><![CDATA[SUCCESS]]></return_code><return_msg><![CDATA[OK]]></return_msg></xml>';

export async function startReceiver(): Promise<Receiver> {
  const received: Received[] = [];
  const waiters: (() => void)[] = [];
  const receiver: Receiver = {
    url: '',
    received,
    replies: [],
    async waitFor(count, timeoutMs = 10_000) {
      const started = Date.now();
      while (received.length < count) {
        if (Date.now() - started > timeoutMs) throw new Error(`expected ${count} notifies, got ${received.length}`);
        await new Promise<void>((resolve) => { waiters.push(resolve); setTimeout(resolve, 50); });
      }
      return received;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const entry = { headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), url: req.url ?? '' };
      received.push(entry);
      const reply = receiver.replies.shift()?.(entry) ?? (entry.body.startsWith('{') ? { status: 204, body: '' } : { status: 200, body: V2_OK });
      res.writeHead(reply.status, { 'content-type': entry.body.startsWith('{') ? 'application/json' : 'text/xml' });
      res.end(reply.body);
      for (const w of waiters.splice(0)) w();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  (receiver as { url: string }).url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/notify/chn_test`;
  return receiver;
}

export interface Harness {
  readonly sandbox: StandaloneSandbox;
  readonly receiver: Receiver;
  readonly options: Record<string, string>;
  readonly lines: LogLine[];
  ctx(options?: Record<string, string>): ChannelContext;
  charge(overrides?: Partial<ChargeView>): ChargeView;
  refund(charge: ChargeView, amount: number, seq?: number): RefundView;
  openid(user: string, appid?: string): Promise<string>;
  inbound(received: Received): InboundRequest;
  close(): Promise<void>;
}

export async function startHarness(config: { version: 'v2' | 'v3'; signType?: 'MD5' | 'HMAC-SHA256'; mode?: 'auto' | 'interactive'; platformSerial?: string } = { version: 'v2' }): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'paygate-wx-'));
  // The rest of config.json is generated; a test pins the platform serial to reach a spelling.
  if (config.platformSerial) writeFileSync(join(dir, 'config.json'), JSON.stringify({ platform_serial: config.platformSerial }));
  const sandbox = await startStandaloneWechatSandbox({ keysDir: dir, retrySchedule: [100, 100, 200], refundDelayMs: 50, mode: config.mode ?? 'auto' });
  const receiver = await startReceiver();
  const k = sandbox.keys.config;
  const options: Record<string, string> = {
    api_version: config.version, appid: k.appid, mch_id: k.mch_id, gateway: sandbox.url, app_secret: k.app_secret,
    ...(config.version === 'v2'
      ? { api_key: k.api_key, sign_type: config.signType ?? 'MD5' }
      : { api_v3_key: k.api_v3_key, private_key: sandbox.keys.merchantPrivateKeyPem!, serial_no: k.serial_no }),
  };
  const lines: LogLine[] = [];
  const harness: Harness = {
    sandbox, receiver, options, lines,
    ctx: (override = options) => ({
      channel: { id: 'chn_test', app_id: 'app_test', type: 'wechat', name: 'WeChat', livemode: false, options: override },
      urls: { base: 'http://127.0.0.1:9', notify: receiver.url, return: 'http://127.0.0.1:9/return/chn_test', result: (id) => `http://127.0.0.1:9/pay/result/${id}` },
      http: loggedChannelHttp(10_000, { charge_id: null, app_id: 'app_test', channel_id: 'chn_test' }, lines),
      clock: systemClock,
      log: () => undefined,
    }),
    charge: (overrides = {}) => {
      const now = Math.floor(Date.now() / 1000);
      return {
        id: newId('charge'), app_id: 'app_test', livemode: false, channel: 'wx_pub', order_no: `o${now}${Math.floor(Math.random() * 1e6)}`,
        type: 'order', amount: 100, amount_refunded: 0, currency: 'cny', subject: '测试商品', body: 'A test order', description: null,
        client_ip: '127.0.0.1', extra: {}, metadata: {}, status: 'pending', transaction_no: null, created: now, time_expire: now + 3600,
        return_url: null, ...overrides,
      };
    },
    refund: (charge, amount, seq = 1) => ({ id: newId('refund'), charge_id: charge.id, amount, description: '退款', seq }),
    openid: async (user, appid = k.appid) => {
      const authorize = await fetch(`${sandbox.url}/connect/oauth2/authorize?appid=${appid}&redirect_uri=${encodeURIComponent('https://shop.example/cb')}&response_type=code&scope=snsapi_base&state=s&sandbox_user=${user}`, { redirect: 'manual' });
      const code = new URL(authorize.headers.get('location')!).searchParams.get('code');
      const token = await (await fetch(`${sandbox.url}/sns/oauth2/access_token?appid=${appid}&secret=${k.app_secret}&code=${code}&grant_type=authorization_code`)).json() as { openid: string };
      return token.openid;
    },
    inbound: (received) => ({
      method: 'POST', url: received.url, query: {}, rawBody: received.body,
      headers: Object.fromEntries(Object.entries(received.headers).map(([key, value]) => [key, Array.isArray(value) ? value.join(', ') : value])),
    }),
    async close() {
      await sandbox.close();
      await receiver.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return harness;
}
