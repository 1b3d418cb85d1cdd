import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Aes, Rsa, Wechatpay } from 'wechatpay-axios-plugin';
import { startStandaloneWechatSandbox, type StandaloneSandbox } from '../../../src/sandbox/wechat/standalone.js';

interface SdkResult { status: number; data: Record<string, unknown> }
type SdkCall = ((data: object) => Promise<SdkResult>) & { get(config?: object): Promise<SdkResult>; post(data?: object, config?: object): Promise<SdkResult> };
/** The SDK's chained endpoints are Proxies its typings cannot describe; walk them by name. */
function endpoint(client: unknown, ...path: string[]): SdkCall {
  return path.reduce<unknown>((node, segment) => (node as Record<string, unknown>)[segment], client) as SdkCall;
}

/** PRODUCT.md §5: the official SDKs must work against the sandboxes. */
describe('wechatpay-axios-plugin against the standalone sandbox', () => {
  let sb: StandaloneSandbox;
  let dir: string;
  let wxpay: InstanceType<typeof Wechatpay>;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'paygate-wx-sdk-'));
    sb = await startStandaloneWechatSandbox({ keysDir: dir, retrySchedule: [100] });
    const k = sb.keys.config;
    wxpay = new Wechatpay({
      mchid: k.mch_id,
      serial: k.serial_no,
      privateKey: Rsa.from(sb.keys.merchantPrivateKeyPem!, Rsa.KEY_TYPE_PRIVATE),
      certs: { [k.platform_serial]: Rsa.from(sb.keys.platformPublicKeyPem, Rsa.KEY_TYPE_PUBLIC) },
      secret: k.api_key,
      baseURL: `${sb.url}/`,
    } as unknown as ConstructorParameters<typeof Wechatpay>[0]);
  });
  afterAll(async () => {
    await sb.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('v3: places a NATIVE order, queries it and downloads the platform certificate, all verified by the SDK', async () => {
    const k = sb.keys.config;
    const outTradeNo = `sdk${Date.now()}`;
    const { data } = await endpoint(wxpay, 'v3', 'pay', 'transactions', 'native').post({
      appid: k.appid, mchid: k.mch_id, description: 'SDK test', out_trade_no: outTradeNo, notify_url: 'https://shop.example/notify', amount: { total: 1, currency: 'CNY' },
    });
    expect(String(data.code_url)).toContain('/bizpayurl?pr=');
    const query = await endpoint(wxpay, 'v3', 'pay', 'transactions', 'outTradeNo', '_out_trade_no_').get({ params: { mchid: k.mch_id }, out_trade_no: outTradeNo });
    expect(query.data).toMatchObject({ out_trade_no: outTradeNo, trade_state: 'NOTPAY', amount: { total: 1 } });
    const certs = await endpoint(wxpay, 'v3', 'certificates').get();
    const [cert] = certs.data.data as { serial_no: string; encrypt_certificate: { ciphertext: string; nonce: string; associated_data: string } }[];
    expect(cert.serial_no).toBe(k.platform_serial);
    const pem = Aes.AesGcm.decrypt(cert.encrypt_certificate.ciphertext, k.api_v3_key, cert.encrypt_certificate.nonce, cert.encrypt_certificate.associated_data);
    expect(pem).toContain('-----BEGIN CERTIFICATE-----');
    const closed = await endpoint(wxpay, 'v3', 'pay', 'transactions', 'outTradeNo', '_out_trade_no_', 'close').post({ mchid: k.mch_id }, { out_trade_no: outTradeNo });
    expect(closed.status).toBe(204);
  });

  it('v3: an error answer reaches the SDK as WeChat\'s {code, message}', async () => {
    const k = sb.keys.config;
    await expect(endpoint(wxpay, 'v3', 'pay', 'transactions', 'outTradeNo', '_out_trade_no_').get({ params: { mchid: k.mch_id }, out_trade_no: 'nosuchorder1' }))
      .rejects.toMatchObject({ response: { status: 404, data: { code: 'ORDER_NOT_EXIST' } } });
  });

  it('v2: unifiedorder and orderquery, signed and verified by the SDK (MD5 and HMAC-SHA256)', async () => {
    const k = sb.keys.config;
    for (const signType of [undefined, 'HMAC-SHA256']) {
      const outTradeNo = `sdkv2${Date.now()}${signType ? 'h' : 'm'}`;
      const { data } = await endpoint(wxpay, 'v2', 'pay', 'unifiedorder')({
        appid: k.appid, mch_id: k.mch_id, body: 'SDK v2', out_trade_no: outTradeNo, total_fee: '1', spbill_create_ip: '127.0.0.1',
        notify_url: 'https://shop.example/notify', trade_type: 'NATIVE', product_id: 'p1', ...(signType ? { sign_type: signType } : {}),
      });
      expect(data).toMatchObject({ return_code: 'SUCCESS', result_code: 'SUCCESS', trade_type: 'NATIVE' });
      const query = await endpoint(wxpay, 'v2', 'pay', 'orderquery')({ appid: k.appid, mch_id: k.mch_id, out_trade_no: outTradeNo, ...(signType ? { sign_type: signType } : {}) });
      expect(query.data).toMatchObject({ trade_state: 'NOTPAY', out_trade_no: outTradeNo });
    }
  });
});
