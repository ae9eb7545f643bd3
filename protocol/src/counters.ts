import { z } from 'zod';

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

export const CounterValues = z.object({
  rxBytes: z.number(),
  txBytes: z.number(),
  rxPackets: z.number(),
  txPackets: z.number(),
  rxErrors: z.number(),
  txErrors: z.number(),
  rxDropped: z.number(),
  txDropped: z.number(),
});
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
