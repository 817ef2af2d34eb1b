import { forEachBounded } from '../../src/nightly/bounded';

describe('Working through items a few at a time', () => {
  test('When there are more items than the limit, then every item is worked on and never more than the limit at once', async () => {
    let running = 0;
    let most = 0;
    const seen: number[] = [];
    const gates: (() => void)[] = [];

    const run = forEachBounded([1, 2, 3, 4, 5, 6, 7], 3, async (item) => {
      running += 1;
      most = Math.max(most, running);
      await new Promise<void>((resolve) => gates.push(resolve));
      seen.push(item);
      running -= 1;
    });
    while (seen.length < 7) {
      await new Promise((resolve) => setImmediate(resolve));
      gates.shift()?.();
    }
    await run;

    expect(most).toBe(3);
    expect([...seen].sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  test('When one item fails, then the run fails with its error', async () => {
    await expect(
      forEachBounded([1, 2, 3], 2, async (item) => {
        if (item === 2) throw new Error('item 2 failed');
      }),
    ).rejects.toThrow('item 2 failed');
  });

  test('When there is nothing to do, then it finishes at once', async () => {
    const work = jest.fn(async () => {});
    await forEachBounded([], 4, work);
    expect(work).not.toHaveBeenCalled();
  });
});
