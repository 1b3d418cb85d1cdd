import { describe, expect, it } from 'vitest';
import { Aes, Hash } from 'wechatpay-axios-plugin';
import { decryptGcm, decryptReqInfo, encryptGcm, encryptReqInfo } from '../../../src/channels/wechat/aes.js';

const apiV3Key = 'abcdefghijklmnopqrstuvwxyz012345';
const apiKey = '192006250b4c09247ec02edce69f6a2d';

describe('AES-256-GCM notify resources', () => {
  const plaintext = JSON.stringify({ mchid: '1900000109', out_trade_no: 'ch_abc', trade_state: 'SUCCESS', amount: { total: 100 }, note: '中文' });

  it('decrypt what wechatpay-axios-plugin encrypts, and the other way round', () => {
    const fromPlugin = Aes.AesGcm.encrypt(plaintext, apiV3Key, 'fdasflkja484', 'transaction');
    expect(decryptGcm({ ciphertext: fromPlugin, nonce: 'fdasflkja484', associated_data: 'transaction', algorithm: 'AEAD_AES_256_GCM' }, apiV3Key)).toEqual({ ok: true, plaintext });
    const ours = encryptGcm(plaintext, apiV3Key, 'fdasflkja484', '');
    expect(Aes.AesGcm.decrypt(ours, apiV3Key, 'fdasflkja484', '')).toBe(plaintext);
  });

  it('fail on a wrong key, nonce, AAD, algorithm or a flipped byte', () => {
    const ciphertext = encryptGcm(plaintext, apiV3Key, 'nonce1234567', 'transaction');
    const good = { ciphertext, nonce: 'nonce1234567', associated_data: 'transaction' };
    expect(decryptGcm(good, apiV3Key).ok).toBe(true);
    expect(decryptGcm(good, apiV3Key.replace('a', 'b')).ok).toBe(false);
    expect(decryptGcm({ ...good, nonce: 'nonce1234568' }, apiV3Key).ok).toBe(false);
    expect(decryptGcm({ ...good, associated_data: 'refund' }, apiV3Key).ok).toBe(false);
    expect(decryptGcm({ ...good, algorithm: 'AES_128_CBC' }, apiV3Key).ok).toBe(false);
    const bytes = Buffer.from(ciphertext, 'base64');
    bytes[3] ^= 1;
    expect(decryptGcm({ ...good, ciphertext: bytes.toString('base64') }, apiV3Key).ok).toBe(false);
    expect(decryptGcm({ ...good, ciphertext: 'AAAA' }, apiV3Key).ok).toBe(false);
  });
});

describe('v2 refund req_info (AES-256-ECB under md5(API key))', () => {
  const xml = '<root><out_refund_no><![CDATA[re_1]]></out_refund_no><refund_fee><![CDATA[50]]></refund_fee></root>';

  it('round-trips with the plugin AesEcb under the lower-case hex md5 key', () => {
    const key = Hash.md5(apiKey).toLowerCase();
    const ours = encryptReqInfo(xml, apiKey);
    expect(Aes.AesEcb.decrypt(ours, key)).toBe(xml);
    expect(decryptReqInfo(Aes.AesEcb.encrypt(xml, key), apiKey)).toEqual({ ok: true, plaintext: xml });
  });

  it('fails under another key or on garbage', () => {
    expect(decryptReqInfo(encryptReqInfo(xml, apiKey), 'another-key-another-key-another-').ok).toBe(false);
    expect(decryptReqInfo('not-base64-blocks', apiKey).ok).toBe(false);
  });
});
