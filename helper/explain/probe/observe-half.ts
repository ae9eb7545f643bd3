import type { z } from 'zod';
import type { ObserveParams, Observed } from '../../../protocol/src/explain-observe.js';
import type { ProbeResult } from '../../../protocol/src/explain.js';
import { ProtocolError } from '../../../protocol/src/errors.js';
import type { Snapshot } from '../../../protocol/src/snapshot.js';
import type { NsTarget } from '../../discover/ns-target.js';
import type { Exec } from '../../exec.js';
import { resolveDestination, resolveSource } from '../endpoints.js';
import { explainPath } from '../explain-path.js';
import { indexSnapshot } from '../net-index.js';
import { finalDecider } from './trace/trace-entries.js';
import { tracedProbe } from './trace/traced-probe.js';

/**
 * The far host's half of a probe across hosts (explain.observe, issue 14): nftables traces this
 * host's half of the predicted path — from the near host's address, in by the tunnel's far end,
 * to the destination — while the near host sends the probe. The traced probe's machinery is
 * reused as it is; its "probe" here is waiting for the near host to finish (`done`), bounded by
 * maxMs. Tracing is taken down in tracedProbe's `finally` whatever ends the wait.
 */
type Params = z.output<typeof ObserveParams>;

export async function observeHalf(exec: Exec, snapshot: Snapshot, p: Params, enter: (nsId: string) => Promise<NsTarget | undefined>, done: AbortSignal, ready: () => void): Promise<Observed> {
  if (p.src.kind !== 'address') throw new ProtocolError('invalid', 'explain.observe watches packets coming from another host: the source is that host\'s address', { path: 'src' });
  const idx = indexSnapshot(snapshot);
  const src = resolveSource(idx, p.src, undefined);
  const dst = resolveDestination(idx, p.dst, src);
  if (dst.ns === null || dst.ip === null) throw new ProtocolError('invalid', `${dst.label} is not held by a namespace of this host: nothing here to observe`, { path: 'dst' });
  const prediction = explainPath(snapshot, { src: p.src, dst: p.dst, proto: p.proto, ...(p.port !== undefined ? { port: p.port } : {}) });
  // The packets come in where the prediction starts: by the tunnel end (`via`), else the first hop.
  const inNs = p.src.via?.replace(/\/\d+$/, '') ?? prediction.request[0]?.ns ?? dst.ns;
  const origin = { src: p.src.ip, dst: dst.ip, port: dst.hostPort ?? p.port ?? null, srcNs: inNs, dstNs: dst.ns };
  const wait = (): Promise<ProbeResult> =>
    new Promise((resolve) => {
      const t0 = performance.now();
      const finish = (): void => {
        clearTimeout(timer);
        resolve({ reached: false, command: '(observed only)', detail: '', ms: Math.round(performance.now() - t0) });
      };
      const timer = setTimeout(finish, p.maxMs);
      if (done.aborted) finish();
      else done.addEventListener('abort', finish, { once: true });
      ready();
    });
  // No signal for the trace sessions: a cancel is how the near host says "the probe is over", and
  // the sessions must live through the drain that follows; they end in tracedProbe's finally.
  let seen: Observed['seen'] = [];
  const r = await tracedProbe({ exec, snapshot, idx, prediction, origin, proto: p.proto, enter, signal: undefined, onSeen: (s) => (seen = s) }, wait);
  const trace = r.trace ?? [];
  return { trace, decidedBy: finalDecider(trace, false), traceNotes: r.traceNotes ?? [], traced: r.traced ?? { namespaces: [], extraMs: 0 }, seen };
}
