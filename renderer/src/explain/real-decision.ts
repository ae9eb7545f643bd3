import type { ProbeResult } from '../../../protocol/src/index.js';
import type { RealDecision } from './path-marks.js';

/**
 * Where a traced probe was decided for real, for the canvas: the traced entry whose rule stopped
 * the probe (ProbeResult.decidedBy). A probe that reached, or that no traced rule dropped, marks
 * nothing: every chain let it through, or the trace could not see what did.
 */
export function realDecision(p: ProbeResult | undefined): RealDecision | null {
  if (!p?.trace || !p.decidedBy) return null;
  const d = JSON.stringify(p.decidedBy);
  const e = p.trace.find((x) => x.verdict === 'drop' && JSON.stringify(x.decidedBy) === d);
  return e ? { ns: e.ns, hook: e.hook, direction: e.direction, verdict: 'drop' } : null;
}
