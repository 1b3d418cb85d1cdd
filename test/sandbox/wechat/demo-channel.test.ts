process.env.PAYGATE_SANDBOX_RETRY_SCHEDULE = '300ms,300ms,1s';

import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../support/server.js';
import { wechatDemoChannel } from '../../../src/sandbox/wechat/demo-channel.js';
import { DEMO_CHANNELS } from '../../../src/cli/demo.js';

describe('the demo WeChat channel', () => {
  let server: TestServer;
  let dataDir: string;
  beforeAll(async () => {
    server = await startTestServer();
    dataDir = mkdtempSync(join(tmpdir(), 'paygate-wx-demo-'));
  });
  afterAll(async () => {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('is one of the first-start demo channels, keys in the data dir, and pays through the embedded sandbox', async () => {
    expect(DEMO_CHANNELS).toContain(wechatDemoChannel);
    await wechatDemoChannel({ paygate: server.paygate, appId: server.app.id, dataDir, baseUrl: server.url });
    expect(existsSync(join(dataDir, 'wechat-sandbox', 'apiclient_key.pem'))).toBe(true);
    const channels = await server.paygate.channels.list(server.app.id, { livemode: false });
    const wechat = channels.find((c) => c.type === 'wechat')!;
    expect(wechat).toMatchObject({ enabled: true, livemode: false, options: { api_version: 'v2' } });
    expect(wechat.options.gateway).toBeUndefined();
    const scope = { app_id: server.app.id, livemode: false };
    const charge = await server.paygate.charges.create(scope, { order_no: `demo${Date.now()}`, channel: 'wx_pub_qr', amount: 1, currency: 'cny', client_ip: '127.0.0.1', subject: 'Demo', body: 'Demo' });
    const codeUrl = (charge.credential.wx_pub_qr as { code_url: string }).code_url;
    expect(codeUrl.startsWith(`${server.url}/sandbox/wechat/bizpayurl`)).toBe(true);
    await fetch(codeUrl);
    // The scan answers once the sandbox has tried its first notify; on a loaded machine that try
    // can time out and the retry (compressed schedule) lands a moment later.
    let status = '';
    for (const started = Date.now(); Date.now() - started < 10_000; await new Promise((r) => setTimeout(r, 50))) {
      status = (await server.paygate.charges.retrieve(scope, charge.id)).status;
      if (status === 'succeeded') break;
    }
    expect(status).toBe('succeeded');
    const v3 = await server.paygate.channels.update(server.app.id, wechat.id, { options: { api_version: 'v3' } });
    expect(v3.options.api_version).toBe('v3');
    const again = await server.paygate.charges.create(scope, { order_no: `demo3${Date.now()}`, channel: 'wx_wap', amount: 1, currency: 'cny', client_ip: '127.0.0.1', subject: 'Demo', body: 'Demo' });
    expect((again.credential.wx_wap as { url: string }).url).toContain('/sandbox/wechat/checkmweb?prepay_id=');
  });
});
