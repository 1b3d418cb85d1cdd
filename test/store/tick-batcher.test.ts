import { describe, expect, it } from 'vitest';
import { TickBatcher, type BatchOutcome } from '../../src/store/tick-batcher.js';

/** A batcher that doubles numbers and remembers each batch it flushed, with when it left. */
function doubler(maxBatch?: number) {
  const flushed: { items: number[]; sameTurn: boolean }[] = [];
  let turnOver = false;
  const batcher = new TickBatcher<number, number>(async (items): Promise<BatchOutcome<number>[]> => {
    flushed.push({ items: [...items], sameTurn: !turnOver });
    return items.map((n) => (n < 0 ? { ok: false, error: new Error(`negative: ${n}`) } : { ok: true, value: n * 2 }));
  }, maxBatch);
  // Marks the end of the submitting turn: a batch flushed after this left at setImmediate.
  const endTurn = () => queueMicrotask(() => { turnOver = true; });
  return { batcher, flushed, endTurn };
}

describe('TickBatcher', () => {
  it('flushes what one turn submits as one batch and answers each item in order', async () => {
    const { batcher, flushed, endTurn } = doubler();
    const answers = Promise.all([1, 2, 3].map((n) => batcher.submit(n)));
    endTurn();
    expect(await answers).toEqual([2, 4, 6]);
    expect(flushed).toEqual([{ items: [1, 2, 3], sameTurn: false }]);
    expect(batcher.stats).toEqual({ batches: 1, items: 3 });
  });

  it('sends a full batch at once, within the turn, and the rest at the turn\'s end', async () => {
    const { batcher, flushed, endTurn } = doubler(4);
    const answers = Promise.all([1, 2, 3, 4, 5, 6].map((n) => batcher.submit(n)));
    endTurn();
    expect(await answers).toEqual([2, 4, 6, 8, 10, 12]);
    expect(flushed).toEqual([{ items: [1, 2, 3, 4], sameTurn: true }, { items: [5, 6], sameTurn: false }]);
  });

  it('fails only the items whose outcome is a failure', async () => {
    const { batcher } = doubler();
    const answers = await Promise.allSettled([1, -1, 2].map((n) => batcher.submit(n)));
    expect(answers.map((a) => a.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((answers[1] as PromiseRejectedResult).reason).toBeInstanceOf(Error);
  });

  it('fails every item of a batch whose flush throws, and the next batch still runs', async () => {
    let calls = 0;
    const batcher = new TickBatcher<number, number>(async (items) => {
      calls += 1;
      if (calls === 1) throw new Error('server gone');
      return items.map((n) => ({ ok: true, value: n }));
    });
    const first = await Promise.allSettled([1, 2].map((n) => batcher.submit(n)));
    expect(first.every((a) => a.status === 'rejected')).toBe(true);
    expect(await batcher.submit(3)).toBe(3);
  });
});
