import { describe, expect, it } from 'vitest';
import { computeSignature, newWebhookSecret, secretHint, signatureHeader } from '../../src/webhooks/signature.js';
import { webhooks, type WebhookSignatureError } from '../../packages/node/src/index.js';

const BODY = '{"id":"evt_1","object":"event"}';

describe('webhook signatures', () => {
  it('match a known answer (openssl dgst -sha256 -hmac)', () => {
    expect(computeSignature('whsec_test_vector', 1700000000, BODY)).toBe('47dcdf15debfd0659802b1ff8a97f5db9aa674dc803e53473f9844baf5ba3ead');
    expect(signatureHeader(BODY, ['whsec_test_vector'], 1700000000)).toBe('t=1700000000,v1=47dcdf15debfd0659802b1ff8a97f5db9aa674dc803e53473f9844baf5ba3ead');
  });

  it('verify with packages/node, with either secret while a roll overlaps', () => {
    const [current, previous] = [newWebhookSecret(), newWebhookSecret()];
    const t = Math.floor(Date.now() / 1000);
    const header = signatureHeader(BODY, [current, previous], t);
    expect(webhooks.verify(BODY, header, current)).toEqual({ id: 'evt_1', object: 'event' });
    expect(webhooks.verify(Buffer.from(BODY), header, previous)).toEqual({ id: 'evt_1', object: 'event' });
    expect(webhooks.verify(BODY, header, [newWebhookSecret(), current])).toEqual({ id: 'evt_1', object: 'event' });
  });

  it('fail for another body, another secret, or an old timestamp', () => {
    const secret = newWebhookSecret();
    const t = Math.floor(Date.now() / 1000);
    const header = signatureHeader(BODY, [secret], t);
    const reason = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        return (error as WebhookSignatureError).reason;
      }
      return 'verified';
    };
    expect(reason(() => webhooks.verify(BODY.replace('1', '2'), header, secret))).toBe('no_matching_signature');
    expect(reason(() => webhooks.verify(BODY, header, newWebhookSecret()))).toBe('no_matching_signature');
    expect(reason(() => webhooks.verify(BODY, signatureHeader(BODY, [secret], t - 301), secret))).toBe('timestamp_outside_tolerance');
    expect(reason(() => webhooks.verify(BODY, signatureHeader(BODY, [secret], t - 301), secret, { tolerance: 0 }))).toBe('verified');
    expect(reason(() => webhooks.verify(BODY, 't=1,v0=abc', secret))).toBe('header_malformed');
  });

  it('make secrets that are long, random and shown only as a hint', () => {
    const a = newWebhookSecret();
    expect(a).toMatch(/^whsec_[0-9A-Za-z]{40}$/);
    expect(a).not.toBe(newWebhookSecret());
    expect(secretHint(a)).toBe(`whsec_…${a.slice(-4)}`);
  });
});
