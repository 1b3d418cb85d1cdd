/** Channel-style transaction numbers for payments that paygate's own test channel completes. */
import { randomInt } from 'node:crypto';

export function testTransactionNo(nowMs: number): string {
  const d = new Date(nowMs);
  const date = `${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}${String(d.getUTCDate()).padStart(2, '0')}`;
  let digits = '';
  for (let i = 0; i < 16; i++) digits += String(randomInt(10));
  return `T${date}${digits}`;
}
