import { z } from 'zod';
import { ExplainEndpoint, ExplainProto, HopDecider, ProbeTraceEntry } from './explain.js';
import { Port } from './intents.js';

/**
 * explain.observe (issue 14, a probe across hosts): the far host's half of a probe sent from
 * another host. The far host traces its own half of the predicted path (the packets coming in by
 * the tunnel's far end, or the underlay, to the destination) while the near host sends the probe:
 * it pushes `ready` once tracing is up, and `observed` when the stream is cancelled (the probe is
 * over) or after `maxMs`, whichever comes first. Tracing is the probe's own (`flags owner` tables),
 * so nothing stays behind after the stream ends, is cancelled, or the link drops.
 */
export const ObserveParams = z.strictObject({
  /** Where the probe comes from, as this host sees it: the near host's address, `via` the tunnel end it comes in by. */
  src: ExplainEndpoint,
  dst: ExplainEndpoint,
  proto: ExplainProto.default('icmp'),
  port: Port.optional(),
  /** The most the observation lasts (the near host's probe is bounded at 5 s). */
  maxMs: z.number().int().min(100).max(15_000).default(10_000),
});
export type ObserveParams = z.input<typeof ObserveParams>;

export const Observed = z.object({
  /** Every traced decision on this host, in the order the packets met them. */
  trace: z.array(ProbeTraceEntry),
  /** The first traced drop here (the request's first), or null. */
  decidedBy: HopDecider.nullable(),
  traceNotes: z.array(z.string()),
  traced: z.object({ namespaces: z.array(z.string()), extraMs: z.number() }),
  /** How many of the probe's packets each traced namespace saw, each way (also where no rule decided anything). */
  seen: z.array(z.object({ ns: z.string(), request: z.number().int(), response: z.number().int() })),
});
export type Observed = z.infer<typeof Observed>;

export const ObserveData = z.union([z.strictObject({ ready: z.literal(true) }), z.strictObject({ observed: Observed })]);
export type ObserveData = z.infer<typeof ObserveData>;
