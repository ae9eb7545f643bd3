import type { ExplainProto, ExplainResult, ProbeResult } from '../../../../protocol/src/explain.js';
import type { Snapshot } from '../../../../protocol/src/snapshot.js';
import type { NsTarget } from '../../../discover/ns-target.js';
import type { Exec } from '../../../exec.js';
import type { NetIndex } from '../../net-index.js';
import { nsName } from '../../net-index.js';
import { segmentsOf } from './trace-segments.js';
import { deciderContext } from './trace-deciders.js';
import { finalDecider, traceEntries } from './trace-entries.js';
import { traceScope } from './trace-scope.js';
import type { NsTraceSession } from './trace-session.js';
import { openTrace } from './trace-session.js';
import { TRACE_TABLE } from './trace-table.js';
import { legacyNotes } from './trace-notes.js';
import { seenPackets, type SeenIn } from './trace-seen.js';

/**
 * explain.probe with `trace`: the probe runs while nftables traces its packets in every namespace
 * the prediction says they pass (trace-scope.ts), and the result says which rule or policy really
 * decided at each hook. Tracing starts everywhere before the first packet and is taken down after
 * the last — also when the probe fails, is cancelled or times out (the `finally`); a dead helper
 * takes it down through the kernel (trace-session.ts).
 */
export interface TracedProbeInput {
  exec: Exec;
  snapshot: Snapshot;
  idx: NetIndex;
  prediction: ExplainResult;
  origin: { src: string; dst: string; port: number | null; srcNs: string; dstNs: string | null };
  proto: ExplainProto;
  enter: (nsId: string) => Promise<NsTarget | undefined>;
  signal?: AbortSignal | undefined;
  /** Told how many of the probe's packets each traced namespace saw (trace-seen.ts). */
  onSeen?: (seen: SeenIn[]) => void;
}

/** After the probe, the monitors get this long without a new line to print what the kernel already sent (nft prints late on a busy machine: at 80 ms a loaded run lost two of five events). */
const QUIET_MS = 150;
const DRAIN_MAX_MS = 1500;

async function drain(sessions: readonly NsTraceSession[]): Promise<void> {
  const start = performance.now();
  await new Promise((r) => setTimeout(r, QUIET_MS));
  while (performance.now() - start < DRAIN_MAX_MS) {
    const last = Math.max(...sessions.map((s) => s.lastAt));
    const wait = last + QUIET_MS - performance.now();
    if (wait <= 0) return;
    await new Promise((r) => setTimeout(r, wait));
  }
}

export async function tracedProbe(input: TracedProbeInput, probe: () => Promise<ProbeResult>): Promise<ProbeResult> {
  const { idx, snapshot, signal } = input;
  const scope = traceScope(input.prediction, input.origin, input.proto);
  const notes: string[] = [];
  const targets: { target: NsTarget; label: string }[] = [];
  const entered = await Promise.all(scope.namespaces.map((ns) => input.enter(ns)));
  scope.namespaces.forEach((ns, i) => {
    const target = entered[i];
    if (target) targets.push({ target, label: nsName(idx, ns) });
    else notes.push(`netloom cannot enter ${nsName(idx, ns)}: it was not traced`);
  });
  if (scope.skipped.length > 0) notes.push(`only the first ${scope.namespaces.length} namespaces of the path are traced; not ${scope.skipped.map((n) => nsName(idx, n)).join(', ')}`);
  const t0 = performance.now();
  const opened = await Promise.allSettled(targets.map((t) => openTrace(input.exec, t.target, t.label, scope, signal)));
  const sessions = opened.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
  const failed = opened.find((o): o is PromiseRejectedResult => o.status === 'rejected');
  if (failed) {
    await Promise.all(sessions.map((s) => s.close()));
    throw failed.reason;
  }
  const setupMs = performance.now() - t0;
  let result: ProbeResult;
  let teardownMs = 0;
  let t1 = performance.now();
  try {
    result = await probe();
    t1 = performance.now();
    await drain(sessions);
  } finally {
    await Promise.all(sessions.map((s) => s.close()));
    teardownMs = performance.now() - t1;
  }
  const traces = sessions.map((s) => ({ ns: s.ns, segments: segmentsOf(s.lines), ctx: deciderContext(snapshot, s.ruleset) }));
  const entries = traceEntries(scope, traces);
  input.onSeen?.(seenPackets(scope, traces));
  for (const t of traces) {
    if (!t.segments.some((s) => s.table === TRACE_TABLE)) notes.push(`no packet of the probe was seen in ${nsName(idx, t.ns)}`);
  }
  notes.push(...legacyNotes(snapshot, idx, sessions.map((s) => s.ns)));
  return {
    ...result,
    trace: entries,
    decidedBy: finalDecider(entries, result.reached),
    traceNotes: notes,
    traced: { namespaces: sessions.map((s) => s.ns), extraMs: Math.round((setupMs + teardownMs) * 10) / 10 },
  };
}
