import { describe, expect, it } from 'vitest';
import { memoryStateStore } from '../../../src/sandbox/state-store.js';
import { Notifier, ALIPAY_RETRY_SCHEDULE, type NotifyPoster } from '../../../src/sandbox/alipay/notifier.js';
import { parseSchedule } from '../../../src/sandbox/retry-schedule.js';

const input = (id: string) => ({ notify_id: id, url: 'http://merchant/notify', params: { out_trade_no: 'ch_1', trade_status: 'TRADE_SUCCESS' }, trade: 'seller:ch_1' });

async function until<T>(probe: () => Promise<T | undefined>, timeoutMs = 3000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() - started > timeoutMs) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('the sandbox notifier', () => {
  it('follows Alipay\'s schedule by default: 8 sends, 4m 10m 10m 1h 2h 6h 15h apart', () => {
    expect(parseSchedule(ALIPAY_RETRY_SCHEDULE)).toEqual([240_000, 600_000, 600_000, 3_600_000, 7_200_000, 21_600_000, 54_000_000]);
    expect(parseSchedule('1s, 500ms')).toEqual([1000, 500]);
    expect(() => parseSchedule('soon')).toThrow(/4m/);
  });

  it('posts the params form-encoded and retries until the body is exactly "success"', async () => {
    const answers = ['SUCCESS', 'success\n', ' success', 'success'];
    const bodies: string[] = [];
    const poster: NotifyPoster = async (_url, body) => { bodies.push(body); return { status: 200, body: answers[bodies.length - 1] ?? 'success' }; };
    const notifier = new Notifier(memoryStateStore(), [10, 10, 10, 10], poster);
    const first = await notifier.send(input('n1'));
    expect(first.state).toBe('retrying');
    const done = await until(async () => { const d = await notifier.get('n1'); return d?.state === 'delivered' ? d : undefined; });
    expect(done.attempts.map((a) => a.body)).toEqual(answers);
    expect(bodies[0]).toBe('out_trade_no=ch_1&trade_status=TRADE_SUCCESS');
    notifier.close();
  });

  it('does not count a non-2xx "success" and gives up when the schedule is spent', async () => {
    let sends = 0;
    const notifier = new Notifier(memoryStateStore(), [5, 5], async () => { sends += 1; return { status: 500, body: 'success' }; });
    await notifier.send(input('n2'));
    const gaveUp = await until(async () => { const d = await notifier.get('n2'); return d?.state === 'gave_up' ? d : undefined; });
    expect(gaveUp.attempts).toHaveLength(3);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(sends).toBe(3);
    notifier.close();
  });

  it('an unreachable merchant is an attempt too, and the retries survive a restart', async () => {
    const store = memoryStateStore();
    const down = new Notifier(store, [60_000, 10], async () => { throw new Error('connect ECONNREFUSED'); });
    const first = await down.send(input('n3'));
    expect(first.attempts[0]).toMatchObject({ status: 0, body: 'connect ECONNREFUSED' });
    down.close();
    const clock = { now: Date.now() + 61_000 };
    const up = new Notifier(store, [60_000, 10], async () => ({ status: 200, body: 'success' }), () => clock.now);
    await up.resume();
    const done = await until(async () => { const d = await up.get('n3'); return d?.state === 'delivered' ? d : undefined; });
    expect(done.attempts).toHaveLength(2);
    up.close();
  });
});
