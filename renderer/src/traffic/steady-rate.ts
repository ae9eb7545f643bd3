import type { RateHistory } from './counters-store.js';

/** Seconds of samples a label averages: packets do not arrive in step with the 1 Hz sampling. */
export const STEADY_WINDOW = 5;
/** A label jumps when the average moved by more than this share of what it shows… */
export const STEADY_JUMP = 0.2;
/** …and creeps to it when the average stayed off by more than this share, on one side, for STEADY_CREEP samples. */
export const STEADY_SLACK = 0.05;
export const STEADY_CREEP = 3;

/** What a label shows, and for how many samples (signed: above +, below −) the average has been off to one side. */
export interface Steady {
  shown: number;
  drift: number;
}

/** Mean bytes/s (both directions) over the last `n` samples of an interface. */
export function recentMean(h: RateHistory | undefined, n = STEADY_WINDOW): number {
  if (!h) return 0;
  let sum = 0;
  let count = 0;
  const size = h.rx.length;
  for (let k = 1; k <= Math.min(n, h.written, size); k++) {
    const i = (h.written - k) % size;
    const v = (h.rx[i] ?? Number.NaN) + (h.tx[i] ?? Number.NaN);
    if (Number.isFinite(v)) {
      sum += v;
      count++;
    }
  }
  return count ? sum / count : 0;
}

/**
 * The rate a label shows (issue 15: constant traffic must not make labels jitter). A 1 Hz
 * sample of a steady stream still swings — a ping every second lands 0, 1 or 2 times in a
 * window — so the label shows the last few seconds' mean, and holds it: it jumps only for a big
 * move, creeps only when the mean stays off to one side (a real change, a ramp), and never for
 * noise that flips from side to side. Idle and waking up show at once.
 */
export function holdRate(prev: Steady, mean: number): Steady {
  const { shown, drift } = prev;
  if (mean < 1 || shown < 1) return { shown: mean < 1 ? 0 : mean, drift: 0 };
  const off = (mean - shown) / shown;
  if (Math.abs(off) > STEADY_JUMP) return { shown: mean, drift: 0 };
  if (Math.abs(off) <= STEADY_SLACK) return { shown, drift: 0 };
  const side = Math.sign(off);
  const next = Math.sign(drift) === side ? drift + side : side;
  return Math.abs(next) >= STEADY_CREEP ? { shown: mean, drift: 0 } : { shown, drift: next };
}
