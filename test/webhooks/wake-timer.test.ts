import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createWakeTimer } from '../../src/webhooks/wake-timer.js';

describe('wake timer', () => {
  beforeEach(() => { vi.useFakeTimers(); });
  afterEach(() => { vi.useRealTimers(); });

  it('fires once, at the earliest time asked', () => {
    const fired: number[] = [];
    const timer = createWakeTimer(() => fired.push(Date.now()));
    const start = Date.now();
    timer.armAt(start + 100, start);
    timer.armAt(start + 50, start);
    timer.armAt(start + 80, start);
    vi.advanceTimersByTime(1_000);
    expect(fired).toEqual([start + 50]);
  });

  it('ignores a later time while armed, and takes one again after firing', () => {
    const fire = vi.fn();
    const timer = createWakeTimer(fire);
    const start = Date.now();
    timer.armAt(start + 100, start);
    timer.armAt(start + 300, start);
    vi.advanceTimersByTime(150);
    expect(fire).toHaveBeenCalledTimes(1);
    timer.armAt(start + 300, start + 150);
    vi.advanceTimersByTime(149);
    expect(fire).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1);
    expect(fire).toHaveBeenCalledTimes(2);
  });

  it('does nothing for never, and nothing after clear', () => {
    const fire = vi.fn();
    const timer = createWakeTimer(fire);
    const start = Date.now();
    timer.armAt(Infinity, start);
    timer.armAt(start + 10, start);
    timer.clear();
    vi.advanceTimersByTime(1_000);
    expect(fire).not.toHaveBeenCalled();
  });
});
