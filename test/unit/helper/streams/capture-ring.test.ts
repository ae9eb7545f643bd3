import { describe, expect, it } from 'vitest';
import { CaptureRing } from '../../../../helper/streams/capture-ring.js';

const rec = (size: number) => ({ sec: 1, nsec: 0, origLen: size, data: Buffer.alloc(size) });

describe('CaptureRing', () => {
  it('evicts the oldest beyond its byte budget and counts them', () => {
    const ring = new CaptureRing(10_000);
    for (let n = 1; n <= 100; n++) ring.push({ n, rec: rec(1000 - 64) });
    expect(ring.byteSize).toBeLessThanOrEqual(10_000);
    expect(ring.size).toBe(10);
    expect(ring.evicted).toBe(90);
    expect(ring.get(90)).toBeUndefined();
    expect(ring.get(91)?.n).toBe(91);
    expect(ring.get(100)?.n).toBe(100);
    expect(ring.get(101)).toBeUndefined();
    expect([...ring.records()]).toHaveLength(10);
  });

  it('stays bounded over a million tiny packets (compacting its index)', () => {
    const ring = new CaptureRing(1 << 20);
    for (let n = 1; n <= 1_000_000; n++) ring.push({ n, rec: rec(0) });
    expect(ring.size).toBe((1 << 20) / 64);
    expect(ring.get(1_000_000)?.n).toBe(1_000_000);
    expect(ring.get(1_000_000 - ring.size + 1)).toBeDefined();
    expect(ring.get(1_000_000 - ring.size)).toBeUndefined();
  });

  it('keeps one packet even when it alone exceeds the budget', () => {
    const ring = new CaptureRing(100);
    ring.push({ n: 1, rec: rec(500) });
    expect(ring.get(1)).toBeDefined();
  });
});
