import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PacketSummary } from '../../../../protocol/src/index.js';
import { SummaryBatcher } from '../../../../helper/streams/summary-batcher.js';

const s = (n: number): PacketSummary => ({ n, time: 0, src: '', dst: '', proto: 'x', length: 1, info: '' });

afterEach(() => vi.useRealTimers());

describe('SummaryBatcher', () => {
  it('sends at most one batch per 33 ms, all summaries in order', () => {
    vi.useFakeTimers();
    const batches: PacketSummary[][] = [];
    const b = new SummaryBatcher((x) => batches.push(x));
    for (let second = 0; second < 1000; second += 1) {
      for (let k = 0; k < 100; k++) b.offer(s(second * 100 + k + 1));
      vi.advanceTimersByTime(1);
    }
    vi.advanceTimersByTime(100);
    expect(batches.length).toBeLessThanOrEqual(31);
    expect(batches.flat().map((x) => x.n)).toEqual(Array.from({ length: 100_000 }, (_, i) => i + 1));
    expect(b.dropped).toBe(0);
  });

  it('a consumer that is not ready: the queue holds up to its bound, the rest is dropped and counted', () => {
    vi.useFakeTimers();
    const batches: PacketSummary[][] = [];
    let ready = false;
    const b = new SummaryBatcher((x) => batches.push(x), () => ready, { maxQueue: 1000, maxBatch: 400 });
    for (let n = 1; n <= 5000; n++) b.offer(s(n));
    vi.advanceTimersByTime(500);
    expect(batches).toHaveLength(0);
    expect(b.dropped).toBe(4000);
    expect(b.full).toBe(true);
    ready = true;
    vi.advanceTimersByTime(33 * 3);
    expect(batches.map((x) => x.length)).toEqual([400, 400, 200]);
    expect(batches.flat().map((x) => x.n)).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
  });

  it('drain hands out everything still queued', () => {
    const batches: PacketSummary[][] = [];
    const b = new SummaryBatcher((x) => batches.push(x), () => true, { maxBatch: 2 });
    for (let n = 1; n <= 5; n++) b.offer(s(n));
    b.drain();
    expect(batches.map((x) => x.length)).toEqual([2, 2, 1]);
  });
});
