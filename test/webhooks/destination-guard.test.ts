import { describe, expect, it } from 'vitest';
import { checkWebhookUrl, destinationPolicy, guardedLookup, isNonPublicAddress } from '../../src/webhooks/destination-guard.js';
import { createWebhookSender } from '../../src/webhooks/http-sender.js';
import { judgeResponse } from '../../src/webhooks/judge-response.js';
import { startReceiver } from './support/receiver.js';

const strict = { allowPrivate: false };

describe('destination guard', () => {
  it('knows loopback, private, link-local and other non-public addresses', () => {
    for (const address of ['127.0.0.1', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', '::', 'fe80::1', 'fd00::1', '::ffff:127.0.0.1', '::ffff:10.0.0.1', 'not-an-ip']) {
      expect(isNonPublicAddress(address), address).toBe(true);
    }
    for (const address of ['8.8.8.8', '1.1.1.1', '172.32.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8']) {
      expect(isNonPublicAddress(address), address).toBe(false);
    }
  });

  it('allows only http(s) and refuses private literal addresses in live mode', () => {
    expect(checkWebhookUrl('ftp://example.com/x', strict)).toMatch(/http:\/\/ or https:\/\//);
    expect(checkWebhookUrl('hooks', strict)).toMatch(/not an absolute URL/);
    expect(checkWebhookUrl('https://user:pw@example.com/', strict)).toMatch(/user name or password/);
    expect(checkWebhookUrl('http://169.254.169.254/latest', strict)).toMatch(/PAYGATE_ALLOW_PRIVATE_WEBHOOKS=1/);
    expect(checkWebhookUrl('http://[::1]:3000/', strict)).toMatch(/loopback/);
    expect(checkWebhookUrl('https://shop.example.com/hooks', strict)).toBeUndefined();
    expect(checkWebhookUrl('http://127.0.0.1:3000/hooks', { allowPrivate: true })).toBeUndefined();
  });

  it('is lenient in test mode and when PAYGATE_ALLOW_PRIVATE_WEBHOOKS=1', () => {
    expect(destinationPolicy(false, {})).toEqual({ allowPrivate: true });
    expect(destinationPolicy(true, {})).toEqual({ allowPrivate: false });
    expect(destinationPolicy(true, { PAYGATE_ALLOW_PRIVATE_WEBHOOKS: '1' })).toEqual({ allowPrivate: true });
  });

  it('checks what DNS answers, at connect time', async () => {
    const answer = await new Promise<{ error: Error | null; address: unknown }>((resolve) => {
      guardedLookup(strict)('localhost', { all: true }, (error, address) => resolve({ error, address }));
    });
    expect(answer.error?.message).toMatch(/localhost resolves to (127\.0\.0\.1|::1)/);
    const allowed = await new Promise<{ error: Error | null; address: unknown }>((resolve) => {
      guardedLookup({ allowPrivate: true })('localhost', { all: false }, (error, address) => resolve({ error, address }));
    });
    expect(allowed.error).toBeNull();
  });

  it('a live send to a name that resolves to loopback never reaches it; no redirect is followed', async () => {
    const receiver = await startReceiver((request) => (request.path === '/moved' ? { status: 302, headers: { location: 'https://elsewhere.example/' } } : { status: 200, body: 'SUCCESS' }));
    const sender = createWebhookSender({ env: {}, timeoutMs: 2000 });
    try {
      const live = await sender.send({ url: `http://localhost:${receiver.port}/x`, body: '{}', headers: {}, livemode: true });
      expect(live.status).toBeNull();
      expect(live.error).toMatch(/live-mode webhooks go to public addresses only/);
      const moved = await sender.send({ url: `${receiver.url}/moved`, body: '{}', headers: {}, livemode: false });
      expect(moved.status).toBe(302);
      expect(judgeResponse(moved, false).error).toMatch(/redirect to https:\/\/elsewhere\.example\/.*not followed/);
      expect(receiver.requests.map((r) => r.path)).toEqual(['/moved']);
    } finally {
      sender.close();
      await receiver.close();
    }
  });

  it('gives up on a receiver slower than the deadline', async () => {
    const receiver = await startReceiver(() => ({ status: 200, body: 'SUCCESS', delayMs: 1500 }));
    const sender = createWebhookSender({ timeoutMs: 300 });
    try {
      const response = await sender.send({ url: receiver.url, body: '{}', headers: {}, livemode: false });
      expect(response.status).toBeNull();
      expect(response.error).toMatch(/no complete answer within 0.3 s/);
      expect(response.durationMs).toBeLessThan(1000);
    } finally {
      sender.close();
      await receiver.close();
    }
  });
});
