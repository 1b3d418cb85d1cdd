import { describe, expect, it } from 'vitest';
import { WriteLock } from '../../src/store/write-lock.js';

describe('WriteLock', () => {
  it('is taken at once when free, and refused synchronously while held', () => {
    const lock = new WriteLock();
    const release = lock.tryAcquire();
    expect(release).toBeTypeOf('function');
    expect(lock.tryAcquire()).toBeNull();
    release!();
    expect(lock.tryAcquire()).toBeTypeOf('function');
  });

  it('grants waiting turns in order, says it is contended while someone waits, and ignores a second release', async () => {
    const lock = new WriteLock();
    const first = lock.tryAcquire()!;
    const order: string[] = [];
    const second = lock.acquire().then((release) => { order.push('second'); return release; });
    const third = lock.acquire().then((release) => { order.push('third'); return release; });
    expect(lock.contended).toBe(true);
    first();
    first();
    const releaseSecond = await second;
    expect(order).toEqual(['second']);
    expect(lock.tryAcquire()).toBeNull();
    releaseSecond();
    (await third)();
    expect(order).toEqual(['second', 'third']);
    expect(lock.contended).toBe(false);
    expect(lock.tryAcquire()).toBeTypeOf('function');
  });
});
