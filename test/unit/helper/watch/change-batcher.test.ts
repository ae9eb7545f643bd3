import { describe, expect, it } from 'vitest';
import { ChangeBatcher } from '../../../../helper/watch/change-batcher.js';
import type { ChangeBatch } from '../../../../helper/watch/change-batcher.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('ChangeBatcher', () => {
  it('merges a burst of signals into one batch', async () => {
    const batches: ChangeBatch[] = [];
    const b = new ChangeBatcher(async (x) => void batches.push(x), { quietMs: 20, maxWaitMs: 100 });
    b.markNamespace('ns:1');
    b.markNamespace('ns:2');
    b.markNamespace('ns:1');
    b.markRescan();
    await sleep(50);
    expect(batches).toEqual([{ ids: ['ns:1', 'ns:2'], rescan: true }]);
  });

  it('flushes a never-quiet namespace after maxWait', async () => {
    const at: number[] = [];
    const t0 = Date.now();
    const b = new ChangeBatcher(async () => void at.push(Date.now() - t0), { quietMs: 30, maxWaitMs: 80 });
    for (let i = 0; i < 12; i++) {
      b.markNamespace('ns:1');
      await sleep(10);
    }
    b.stop();
    expect(at.length).toBeGreaterThanOrEqual(1);
    expect(at[0]).toBeLessThan(120);
  });

  it('runs one batch at a time; signals during a run form the next batch', async () => {
    const batches: ChangeBatch[] = [];
    let release!: () => void;
    const b = new ChangeBatcher(
      async (x) => {
        batches.push(x);
        if (batches.length === 1) await new Promise<void>((r) => (release = r));
      },
      { quietMs: 5, maxWaitMs: 10 },
    );
    b.markNamespace('ns:1');
    await sleep(20);
    b.markNamespace('ns:2');
    b.markNamespace('ns:3');
    await sleep(20);
    expect(batches).toHaveLength(1);
    release();
    await sleep(30);
    expect(batches).toEqual([
      { ids: ['ns:1'], rescan: false },
      { ids: ['ns:2', 'ns:3'], rescan: false },
    ]);
  });
});
