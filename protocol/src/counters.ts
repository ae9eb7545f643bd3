import { z } from 'zod';
import { InterfaceStats } from './snapshot.js';

/**
 * Interface counters (DESIGN §7): `counters.watch` pushes one sample a period with every
 * interface's rates (per second, over the last period) and totals. A slow client gets only the
 * latest sample (samples are coalesced, never queued).
 */
export const CountersParams = z
  .object({
    /** Sampling period in milliseconds. */
    intervalMs: z.number().int().min(100).max(60_000).default(1000),
  })
  .strict();
export type CountersParams = z.infer<typeof CountersParams>;

/** The same eight numbers as a snapshot's interface stats (as totals, or as rates per second). */
export const CounterValues = InterfaceStats;
export type CounterValues = z.infer<typeof CounterValues>;

export const InterfaceCounters = z.object({
  /** Interface id (`ns:<inode>/<ifindex>`), as in the snapshot. */
  id: z.string(),
  /** Per second over the last period; null on an interface's first sample. */
  rates: CounterValues.nullable(),
  totals: CounterValues,
});
export type InterfaceCounters = z.infer<typeof InterfaceCounters>;

export const CountersSample = z.object({
  /** Milliseconds since the epoch when the sample was read. */
  at: z.number(),
  /** Milliseconds the rates are measured over (the real gap between reads). */
  periodMs: z.number(),
  interfaces: z.array(InterfaceCounters),
  /** Samples a slow client never saw (replaced by a newer one). */
  coalesced: z.number().int(),
});
export type CountersSample = z.infer<typeof CountersSample>;
