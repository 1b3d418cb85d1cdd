import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { generateKeyPairSync } from 'node:crypto';
import { parsePublicKey } from '../../../src/channels/alipay/keys.js';
import { readResponse, responseKeyOf, topLevelMembers, verifyResponse, writeSignedResponse } from '../../../src/channels/alipay/response.js';

const vector = (JSON.parse(readFileSync(new URL('../../fixtures/alipay/vectors.json', import.meta.url), 'utf8')) as {
  alipay_response: { raw: string; signed_content: string; sign: string; alipay_public_key: string };
}).alipay_response;

describe('Open Platform response verification (alipay-sdk-nodejs-all vector)', () => {
  const alipayKey = parsePublicKey(vector.alipay_public_key);

  it('cuts out the published signed content byte for byte', () => {
    const envelope = readResponse(vector.raw, 'alipay.open.file.upload');
    expect(envelope?.content).toBe(vector.signed_content);
    expect(envelope?.sign).toBe(vector.sign);
    expect(envelope?.key).toBe('alipay_open_file_upload_response');
    expect(envelope?.body).toEqual({ code: '10000', msg: 'Success', file_id: 'CAxAToWB1JsAAAAAAAAAAAAADgSLAQBr' });
  });

  it('verifies the published signature', () => {
    expect(verifyResponse(readResponse(vector.raw, 'alipay.open.file.upload')!, alipayKey, 'RSA2')).toBe(true);
  });

  it('refuses the same body re-serialised with other spacing, or changed', () => {
    const spaced = vector.raw.replace('"code":"10000"', '"code": "10000"');
    expect(verifyResponse(readResponse(spaced, 'alipay.open.file.upload')!, alipayKey, 'RSA2')).toBe(false);
    const changed = vector.raw.replace('Success', 'Succes5');
    expect(verifyResponse(readResponse(changed, 'alipay.open.file.upload')!, alipayKey, 'RSA2')).toBe(false);
  });

  it('does not take a response for another method', () => {
    expect(readResponse(vector.raw, 'alipay.trade.query')).toBeUndefined();
  });
});

describe('signed responses as the sandbox writes them', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });

  it('escapes slashes as Alipay does and signs exactly the text sent', () => {
    const raw = writeSignedResponse(responseKeyOf('alipay.trade.precreate'), { code: '10000', msg: 'Success', qr_code: 'https://qr.alipay.com/bax1' }, privateKey, 'RSA2');
    expect(raw).toContain('"qr_code":"https:\\/\\/qr.alipay.com\\/bax1"');
    const envelope = readResponse(raw, 'alipay.trade.precreate')!;
    expect(envelope.body.qr_code).toBe('https://qr.alipay.com/bax1');
    expect(verifyResponse(envelope, publicKey, 'RSA2')).toBe(true);
    // A client that re-serialises loses the escapes, and with them the signature.
    const reserialised = JSON.stringify(envelope.body);
    expect(verifyResponse({ ...envelope, content: reserialised }, publicKey, 'RSA2')).toBe(false);
  });

  it('reads error_response when the method key is absent', () => {
    const raw = writeSignedResponse('error_response', { code: '40002', msg: 'Invalid Arguments', sub_code: 'isv.invalid-app-id' }, privateKey, 'RSA2');
    const envelope = readResponse(raw, 'alipay.trade.query')!;
    expect(envelope.key).toBe('error_response');
    expect(verifyResponse(envelope, publicKey, 'RSA2')).toBe(true);
  });
});

describe('the top-level JSON scanner', () => {
  it('keeps nested braces, brackets and escaped quotes inside the value', () => {
    const raw = ' {"a_response" : {"x":"}\\"{","y":[1,{"z":"]"}]} , "sign":"s"}';
    expect(topLevelMembers(raw)?.get('a_response')?.text).toBe('{"x":"}\\"{","y":[1,{"z":"]"}]}');
    expect(topLevelMembers(raw)?.get('sign')?.text).toBe('"s"');
  });

  it('keeps the first of duplicate keys, so appended content cannot replace the signed one', () => {
    const members = topLevelMembers('{"a_response":{"code":"1"},"sign":"s","a_response":{"code":"2"}}');
    expect(members?.get('a_response')?.text).toBe('{"code":"1"}');
  });

  it('refuses text that is not a JSON object', () => {
    for (const raw of ['', '[]', '{"a":', '{"a":{"b":1}', '{a:1}', '<html>', '{"a":1,}']) expect(topLevelMembers(raw)).toBeUndefined();
  });
});
