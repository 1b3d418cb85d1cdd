/**
 * An end-to-end rig for the WeChat Pay channel: a real paygate server (one dialect), a WeChat
 * test channel created through the HTTP API (API v2 with MD5 or HMAC-SHA256, or v3 with a freshly
 * generated merchant key), talking to paygate's embedded sandbox at /sandbox/wechat.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { startTestServer, type TestServer } from '../support/server.js';
import type { TestDialect } from '../support/dialects.js';
import { embeddedWechatSandbox } from '../../src/http/routes/sandbox-wechat.js';
import type { WechatSandbox } from '../../src/sandbox/wechat/sandbox.js';

export interface WechatCharge {
  id: string;
  status: string;
  paid: boolean;
  amount: number;
  amount_refunded: number;
  channel_id: string;
  transaction_no: string | null;
  credential: Record<string, Record<string, string>>;
  [key: string]: unknown;
}

export interface WechatAccount {
  readonly appid: string;
  readonly mch_id: string;
  readonly api_key: string;
  readonly api_v3_key: string;
  readonly private_key: string;
  readonly serial_no: string;
  readonly app_secret: string;
}

export interface WechatRig {
  readonly server: TestServer;
  readonly channelId: string;
  readonly account: WechatAccount;
  readonly sandboxUrl: string;
  api<T = Record<string, unknown>>(method: string, path: string, body?: unknown, key?: string): Promise<{ status: number; body: T }>;
  createChannel(options: Record<string, unknown>, extra?: Record<string, unknown>): Promise<string>;
  charge(channel: string, amount: number, extra?: Record<string, unknown>, fields?: Record<string, unknown>): Promise<WechatCharge>;
  retrieve(id: string): Promise<WechatCharge>;
  eventTypes(chargeId: string): Promise<string[]>;
  /** The openid of sandbox user `user` under an official account, through the sandbox's OAuth. */
  openid(user: string, account?: Pick<WechatAccount, 'appid' | 'app_secret'>): Promise<string>;
  sandbox(): WechatSandbox;
  close(): Promise<void>;
}

let seq = 0;

export function newAccount(withMerchant = true): WechatAccount {
  const key = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  return {
    appid: `wx${randomBytes(8).toString('hex')}`,
    mch_id: withMerchant ? `19${String(Date.now()).slice(-6)}${String(seq++ % 100).padStart(2, '0')}` : '',
    api_key: randomBytes(16).toString('hex'),
    api_v3_key: randomBytes(16).toString('hex'),
    private_key: key,
    serial_no: randomBytes(20).toString('hex').toUpperCase(),
    app_secret: randomBytes(16).toString('hex'),
  };
}

export function channelOptions(account: WechatAccount, version: 'v2' | 'v3', signType: 'MD5' | 'HMAC-SHA256' = 'MD5'): Record<string, unknown> {
  const common = { api_version: version, appid: account.appid, mch_id: account.mch_id, app_secret: account.app_secret };
  return version === 'v2'
    ? { ...common, api_key: account.api_key, sign_type: signType }
    : { ...common, api_v3_key: account.api_v3_key, private_key: account.private_key, serial_no: account.serial_no };
}

export async function wechatRig(dialect: TestDialect, version: 'v2' | 'v3', signType: 'MD5' | 'HMAC-SHA256' = 'MD5'): Promise<WechatRig> {
  const server = await startTestServer({ dialect });
  await server.paygate.apps.update(server.app.id, { allowed_redirect_hosts: ['shop.example'] });
  const account = newAccount();

  async function api<T>(method: string, path: string, body?: unknown, key = server.keys.test_secret_key): Promise<{ status: number; body: T }> {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : {}) as T };
  }

  async function createChannel(options: Record<string, unknown>, extra: Record<string, unknown> = {}): Promise<string> {
    const created = await api<{ id: string }>('POST', '/v1/channels', { type: 'wechat', name: 'WeChat (sandbox)', livemode: false, options, ...extra });
    if (created.status !== 200) throw new Error(`could not create the WeChat channel: ${JSON.stringify(created.body)}`);
    return created.body.id;
  }

  const channelId = await createChannel(channelOptions(account, version, signType));
  const sandboxUrl = `${server.url}/sandbox/wechat`;

  return {
    server, channelId, account, sandboxUrl, api, createChannel,
    async charge(channel, amount, extra = {}, fields = {}) {
      const result = await api<WechatCharge>('POST', '/v1/charges', {
        order_no: `wx_order_${Date.now()}_${seq++}`, channel, amount, currency: 'cny', client_ip: '127.0.0.1',
        subject: 'E2E 微信测试商品', body: 'paygate end to end', extra, ...fields,
      });
      if (result.status !== 200) throw new Error(`charge creation failed: ${JSON.stringify(result.body)}`);
      return result.body;
    },
    retrieve: async (id) => (await api<WechatCharge>('GET', `/v1/charges/${id}`)).body,
    async eventTypes(chargeId) {
      const result = await api<{ data: Array<{ type: string }> }>('GET', `/v1/events?charge=${chargeId}&limit=100`);
      return result.body.data.map((e) => e.type).reverse();
    },
    async openid(user, of = account) {
      const authorize = await fetch(`${sandboxUrl}/connect/oauth2/authorize?appid=${of.appid}&redirect_uri=${encodeURIComponent('https://shop.example/cb')}&response_type=code&scope=snsapi_base&state=s&sandbox_user=${user}`, { redirect: 'manual' });
      const code = new URL(authorize.headers.get('location')!).searchParams.get('code');
      const token = (await (await fetch(`${sandboxUrl}/sns/oauth2/access_token?appid=${of.appid}&secret=${of.app_secret}&code=${code}&grant_type=authorization_code`)).json()) as { openid: string };
      return token.openid;
    },
    sandbox: () => embeddedWechatSandbox(server.paygate)!,
    close: () => server.close(),
  };
}

/** GET without following redirects. */
export async function open(url: string, init: RequestInit = {}): Promise<{ status: number; location: string | undefined; text: string; setCookie: string | undefined }> {
  const response = await fetch(url, { redirect: 'manual', ...init });
  return { status: response.status, location: response.headers.get('location') ?? undefined, text: await response.text(), setCookie: response.headers.get('set-cookie') ?? undefined };
}
