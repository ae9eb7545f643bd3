import type { TraceScope } from './trace-scope.js';
import { directionOf } from './trace-scope.js';
import type { TraceSegment } from './trace-segments.js';
import { TRACE_FAMILY, TRACE_TABLE } from './trace-table.js';

/**
 * How many of the probe's packets each traced namespace saw, each way: netloom's own trace chain is
 * the first chain every traced packet meets there (trace-entries.ts), so its traversals count the
 * packets — also where no rule of the namespace decided anything (a namespace without a firewall
 * has no trace entries at all, but it did see the packets).
 */
export interface SeenIn {
  ns: string;
  request: number;
  response: number;
}

export function seenPackets(scope: TraceScope, traces: readonly { ns: string; segments: readonly TraceSegment[] }[]): SeenIn[] {
  return traces.map((t) => {
    const own = t.segments.filter((s) => s.table === TRACE_TABLE && s.family === TRACE_FAMILY && s.packet !== null);
    const dirs = own.map((s) => (s.packet ? directionOf(scope, s.packet) : null));
    return { ns: t.ns, request: dirs.filter((d) => d === 'request').length, response: dirs.filter((d) => d === 'response').length };
  });
}
