import { describe, expect, it } from 'vitest';
import { maskSecrets, maskText } from '../../src/core/mask.js';

describe('masking secrets for logs', () => {
  it('masks secret-looking fields at any depth and keeps the rest', () => {
    const masked = maskSecrets({ app_id: '2016', sign: 'QfTb8tqE1BMhS5qAnXtv', sign_type: 'RSA2', nested: { api_key: '192006250b4c09247ec02edce69f6a2d', total_fee: 1 } });
    expect(masked).toEqual({ app_id: '2016', sign: 'QfTb…nXtv', sign_type: 'RSA2', nested: { api_key: '1920…6a2d', total_fee: 1 } });
  });
  it('masks PEM blocks, API keys and secret query parameters inside text', () => {
    const text = 'key=-----BEGIN PRIVATE KEY-----\nMIIC\n-----END PRIVATE KEY----- sk_test_abcdefghijklmnopqrstuvwxyz012345 https://x/y?sign=abcdefghijkl&out_trade_no=ch_1';
    const out = maskText(text);
    expect(out).not.toContain('MIIC');
    expect(out).not.toContain('abcdefghijklmnopqrstuvwxyz');
    expect(out).toContain('out_trade_no=ch_1');
    expect(out).toContain('sign=abcd…ijkl');
  });
  it('masks a pair in text exactly when its key would be masked as a field', () => {
    const keys = ['sign', 'sign_type', 'signType', 'paySign', 'x_sign', 'signed', 'design', 'api_key', 'apikey', 'API_V3_KEY', 'token_type',
      'access_token', 'tokens', 'private_key_pem', 'cert_serial', 'certificate', 'out_trade_no', 'key', 'monkey', 'ticket', 'notify_id'];
    for (const key of keys) {
      const field = maskSecrets({ [key]: 'value-0123456789' }) as Record<string, string>;
      expect(maskText(`a=1&${key}=value-0123456789&b=2`)).toBe(`a=1&${key}=${field[key]}&b=2`);
    }
  });
  it('masks fields the channel names as secret', () => {
    expect(maskSecrets({ payment_password: 'hunter22', merchant: 'm' }, ['merchant'])).toEqual({ payment_password: '***', merchant: '***' });
  });
});
