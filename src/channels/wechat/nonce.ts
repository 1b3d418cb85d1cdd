/** WeChat's `nonce_str` / `nonceStr`: random letters and digits, at most 32 characters. */
import { randomBase62 } from '../../core/ids.js';

export function newNonce(length = 32): string {
  return randomBase62(Math.min(Math.max(length, 1), 32));
}
