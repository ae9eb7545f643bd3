import type { HealthResult, Snapshot } from '../../../protocol/src/index.js';
import type { PathMarks } from './path-marks.js';

/**
 * While the health view is open, the interfaces its findings concern are marked on the
 * canvas: red for a problem, amber for a warning, with a "!" badge (one per finding).
 * Findings of a whole namespace mark nothing: the list names them.
 */
export function healthMarks(result: HealthResult, s: Snapshot): PathMarks {
  const known = new Set(s.interfaces.map((i) => i.id));
  const marks: PathMarks = new Map();
  for (const g of result.groups)
    for (const f of g.findings) {
      if (!f.iface || !known.has(f.iface) || f.severity === 'info') continue;
      const m = marks.get(f.iface) ?? { request: true, response: false, blocked: false, badges: [], verdict: 'blocked' as const };
      const problem = f.severity === 'error';
      m.blocked ||= problem;
      m.badges.push({ text: '!', role: 'request', blocked: problem });
      marks.set(f.iface, m);
    }
  return marks;
}
