import { describe, expect, it } from 'vitest';
import type { CounterValues, CountersSample } from '../../../../protocol/src/index.js';
import { createCountersStore, labelRate } from '../../../../renderer/src/traffic/counters-store.js';
import { humanRate } from '../../../../renderer/src/traffic/format-rate.js';
import { holdRate } from '../../../../renderer/src/traffic/steady-rate.js';

const v = (rx: number): CounterValues => ({ rxBytes: rx, txBytes: 0, rxPackets: 0, txPackets: 0, rxErrors: 0, txErrors: 0, rxDropped: 0, txDropped: 0 });
const sample = (at: number, rate: number): CountersSample => ({ at, periodMs: 1000, coalesced: 0, interfaces: [{ id: 'A', rates: v(rate), totals: v(at) }] });

/** The label an edge shows after each 1 Hz sample of these per-second rates. */
function labels(rates: number[]): string[] {
  const s = createCountersStore();
  return rates.map((r, k) => {
    s.applySample(sample((k + 1) * 1000, r));
    return humanRate(labelRate(s.get('A')));
  });
}

// Issue 15: constant traffic must not make rate labels jitter.
describe('steady rate labels', () => {
  it('a packet every 200 ms (5 or 4 or 6 per 1 Hz sample) settles on one label', () => {
    const perSample = [5, 4, 6, 5, 5, 6, 4, 5, 4, 6, 5, 5, 6, 4, 5].map((n) => n * 1042);
    const shown = labels(perSample);
    // The raw samples alone would read 5.2, 4.2, 6.3 kB/s…
    expect(new Set(perSample.map(humanRate)).size).toBeGreaterThan(2);
    expect(new Set(shown.slice(4))).toEqual(new Set([shown[4]]));
  });

  it('a ping a second sampled at 1 Hz (0, 1 or 2 pings in a window) settles too', () => {
    const shown = labels([196, 196, 0, 392, 196, 196, 0, 392, 196, 196, 196, 0, 392]);
    expect(new Set(shown.slice(5)).size).toBe(1);
  });

  it('a real change shows within the window; idle shows as idle', () => {
    const shown = labels([1000, 1000, 1000, 1000, 1000, 50_000, 50_000, 50_000, 0, 0, 0, 0, 0]);
    expect(shown[4]).toBe('1.0 kB/s');
    expect(shown[5]).not.toBe('1.0 kB/s');
    expect(shown[7]).toMatch(/kB\/s$/);
    expect(Number.parseFloat(shown[7]!)).toBeGreaterThan(20);
    expect(shown.at(-1)).toBe('0 B/s');
  });

  it('holdRate: jumps past 20 %, ignores noise that flips sides, creeps after 3 samples off to one side, idles at once', () => {
    const at = (shown: number, drift = 0) => ({ shown, drift });
    expect(holdRate(at(1000), 1300)).toEqual(at(1300));
    expect(holdRate(at(1000), 1150)).toEqual(at(1000, 1));
    expect(holdRate(at(1000, 1), 850)).toEqual(at(1000, -1));
    expect(holdRate(at(1000, 1), 1030)).toEqual(at(1000, 0));
    expect(holdRate(at(1000, 2), 1150)).toEqual(at(1150));
    expect(holdRate(at(1000), 0.2)).toEqual(at(0));
    expect(holdRate(at(0), 500)).toEqual(at(500));
  });

  it('a ramp that ends within 20 % of the label still reaches the true rate', () => {
    const shown = labels([0, 9000, 9000, 9000, 9000, 10_000, 10_000, 10_000, 10_000, 10_000, 10_000, 10_000, 10_000]);
    expect(shown.at(-1)).toBe('10 kB/s');
  });
});
