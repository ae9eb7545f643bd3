import type { HopDecider, ProbeTraceEntry } from '../../../../protocol/src/explain.js';
import type { DeciderContext } from './trace-deciders.js';
import type { TraceScope } from './trace-scope.js';
import { directionOf } from './trace-scope.js';
import type { TraceSegment } from './trace-segments.js';
import { TRACE_FAMILY, TRACE_TABLE } from './trace-table.js';

/**
 * The traced segments of every namespace → the probe's trace entries: one per base chain a packet
 * of the probe went through, with what ended it, in the order the packets met them; the same
 * decision for several packets (3 pings) is one entry that counts them. netloom's own trace chain
 * is left out, but it tells which way each packet goes: it is the first chain every traced packet
 * meets in a namespace (nothing else sets the trace mark). A nat chain that translated nothing is
 * left out too: it decided nothing.
 */
export interface NsTrace {
  ns: string;
  segments: TraceSegment[];
  ctx: DeciderContext;
}

const isOwn = (s: TraceSegment): boolean => s.table === TRACE_TABLE && s.family === TRACE_FAMILY;

function verdictOf(s: TraceSegment): ProbeTraceEntry['verdict'] {
  const e = s.end;
  if (e === null) return 'unknown';
  const v = e.kind === 'policy' ? e.policy : e.verdict;
  if (/^accept\b/.test(v)) return 'pass';
  if (/^(drop|reject)\b/.test(v)) return 'drop';
  return 'unknown';
}

function sentence(ctx: DeciderContext, s: TraceSegment, verdict: ProbeTraceEntry['verdict'], nat: boolean): string {
  const e = s.end;
  const text = e?.kind === 'rule' ? (e.text ?? '') : '';
  const word = verdict === 'pass' ? (nat && e?.kind === 'rule' ? 'let through (translated) by' : 'accepted by') : verdict === 'drop' ? (/\breject\b/.test(text) ? 'rejected by' : 'dropped by') : `stopped without a verdict${e?.kind === 'rule' ? ` (${e.verdict})` : ''} at`;
  return `${ctx.where(s)}: ${word} ${ctx.what(s)}`;
}

const deciderKey = (d: HopDecider | null): string => JSON.stringify(d);

export function traceEntries(scope: TraceScope, traces: readonly NsTrace[]): ProbeTraceEntry[] {
  const found: { at: number; key: string; entry: ProbeTraceEntry }[] = [];
  for (const t of traces) {
    let dir: 'request' | 'response' | null = null;
    for (const s of t.segments) {
      if (isOwn(s)) {
        dir = s.packet ? directionOf(scope, s.packet) : null;
        continue;
      }
      const base = t.ctx.base(s.family, s.table, s.chain);
      const direction = dir ?? (s.packet ? directionOf(scope, s.packet) : null);
      if (base === null || direction === null) continue;
      const verdict = verdictOf(s);
      const nat = base.type === 'nat';
      if (nat && s.end?.kind === 'policy' && verdict === 'pass') continue;
      const decidedBy = t.ctx.decider(s);
      const entry: ProbeTraceEntry = { ns: t.ns, hook: base.hook, direction, decidedBy, verdict, text: sentence(t.ctx, s, verdict, nat), packets: 1 };
      const key = [t.ns, direction, base.hook, s.family, s.table, s.chain, verdict, deciderKey(decidedBy)].join('|');
      const same = found.find((f) => f.key === key);
      if (same) same.entry.packets++;
      else found.push({ at: s.at, key, entry });
    }
  }
  return found.sort((a, b) => a.at - b.at).map((f) => f.entry);
}

/** What stopped the probe, for real: the first traced drop of the request, else of the reply. */
export function finalDecider(entries: readonly ProbeTraceEntry[], reached: boolean): HopDecider | null {
  if (reached) return null;
  const drop = entries.find((e) => e.verdict === 'drop' && e.direction === 'request') ?? entries.find((e) => e.verdict === 'drop');
  return drop?.decidedBy ?? null;
}
