import { describe, expect, it } from 'vitest';
import { memoryStateStore } from '../../../src/sandbox/state-store.js';
import { acknowledged, Notifier, scheduleFromEnv, WECHAT_RETRY_SCHEDULE } from '../../../src/sandbox/wechat/notifier.js';
import { parseSchedule } from '../../../src/sandbox/retry-schedule.js';

describe('sandbox notifier', () => {
  it('uses WeChat\'s schedule: 15 retries over 24h4m, compressible by env', () => {
    const schedule = parseSchedule(WECHAT_RETRY_SCHEDULE);
    expect(schedule).toHaveLength(15);
    expect(schedule.reduce((a, b) => a + b, 0)).toBe((24 * 60 + 4) * 60_000);
    expect(scheduleFromEnv({ PAYGATE_SANDBOX_RETRY_SCHEDULE: '1s,500ms' })).toEqual([1000, 500]);
    expect(() => parseSchedule('soon')).toThrow();
  });

  it('counts v2 as received only on HTTP 200 with return_code SUCCESS, v3 on 200 or 204', () => {
    const ok = '<xml><return_code><![CDATA[SUCCESS]]></return_code></xml>';
    expect(acknowledged('v2', 200, ok)).toBe(true);
    expect(acknowledged('v2', 200, 'success')).toBe(false);
    expect(acknowledged('v2', 500, ok)).toBe(false);
    expect(acknowledged('v2', 200, '<xml><return_code>FAIL</return_code></xml>')).toBe(false);
    expect(acknowledged('v3', 204, '')).toBe(true);
    expect(acknowledged('v3', 200, 'whatever')).toBe(true);
    expect(acknowledged('v3', 500, '{"code":"FAIL"}')).toBe(false);
  });

  it('retries until acknowledged, re-signing v3 sends, and keeps every attempt', async () => {
    const store = memoryStateStore();
    const answers = [{ status: 500, body: '{"code":"FAIL"}' }, { status: 0, body: '' }, { status: 204, body: '' }];
    const sent: Record<string, string>[] = [];
    let signatures = 0;
    const notifier = new Notifier(store, [20, 20, 20], async (_url, _body, headers) => {
      sent.push({ ...headers });
      const answer = answers.shift()!;
      if (answer.status === 0) throw new Error('connection refused');
      return answer;
    }, async () => ({ 'Wechatpay-Signature': `sig${++signatures}` }), () => Date.now());
    const first = await notifier.send({ version: 'v3', kind: 'payment', url: 'http://127.0.0.1:9/notify', body: '{}', trade: 'm:o' });
    expect(first.state).toBe('retrying');
    for (let i = 0; i < 50 && (await notifier.list())[0].state === 'retrying'; i++) await new Promise((r) => setTimeout(r, 20));
    const [delivery] = await notifier.list('m:o');
    expect(delivery.state).toBe('delivered');
    expect(delivery.attempts.map((a) => a.status)).toEqual([500, 0, 204]);
    expect(sent.map((h) => h['Wechatpay-Signature'])).toEqual(['sig1', 'sig2', 'sig3']);
    await notifier.close();
  });

  it('gives up after the last retry, and resumes retrying deliveries after a restart', async () => {
    const store = memoryStateStore();
    const failing = new Notifier(store, [10], async () => ({ status: 500, body: 'no' }), async () => ({}), () => Date.now());
    await failing.send({ version: 'v2', kind: 'payment', url: 'http://127.0.0.1:9/n', body: '<xml/>', trade: 'a' });
    for (let i = 0; i < 50 && (await failing.list())[0].state === 'retrying'; i++) await new Promise((r) => setTimeout(r, 10));
    expect((await failing.list())[0]).toMatchObject({ state: 'gave_up', attempts: [{ status: 500 }, { status: 500 }] });
    await failing.close();

    const stopped = new Notifier(store, [60_000], async () => ({ status: 500, body: 'down' }), async () => ({}), () => Date.now());
    await stopped.send({ version: 'v2', kind: 'payment', url: 'http://127.0.0.1:9/n', body: '<xml/>', trade: 'b' });
    await stopped.close();
    const ok = '<xml><return_code>SUCCESS</return_code></xml>';
    const restarted = new Notifier(store, [60_000], async () => ({ status: 200, body: ok }), async () => ({}), () => Date.now() + 61_000);
    await restarted.resume();
    for (let i = 0; i < 50 && (await restarted.list('b'))[0].state === 'retrying'; i++) await new Promise((r) => setTimeout(r, 10));
    expect((await restarted.list('b'))[0]).toMatchObject({ state: 'delivered' });
    await restarted.close();
  });
});
