import type { ExplainResult, Hop, Interface, Snapshot } from '../../../protocol/src/index.js';
import { portMappingId } from '../graph/labels.js';

/** A hop number drawn on the canvas: request hops "3", response hops "↩2". */
export interface HopBadge {
  text: string;
  role: 'request' | 'response';
  blocked: boolean;
}

/**
 * What the canvas draws on one interface node or one edge for the explained path. The
 * verdict rides along so the whole path turns green at once when it reaches.
 */
export interface PathMark {
  request: boolean;
  response: boolean;
  /** The packet is dropped here (red, with a marker). */
  blocked: boolean;
  badges: HopBadge[];
  verdict: ExplainResult['verdict'];
  /** A probe traced by nftables was decided here, for real (issue 12): dropped, or let through. */
  real?: 'drop' | 'pass';
}

export type PathMarks = Map<string, PathMark>;

/** Same mark, same key: the store wakes a node only when its key changes. */
export const markKey = (m: PathMark | undefined): string =>
  m ? `${m.verdict}|${m.request ? 1 : 0}${m.response ? 1 : 0}${m.blocked ? 1 : 0}|${m.badges.map((b) => `${b.text}${b.blocked ? '!' : ''}`).join(',')}|${m.real ?? ''}` : '';

/** Where a traced probe was decided for real: a hook of a namespace, on the request or the reply. */
export interface RealDecision {
  ns: string;
  hook: string;
  direction: 'request' | 'response';
  verdict: 'drop' | 'pass';
}

/**
 * The interfaces and edges the request and response hops pass, keyed by the graph's node
 * and edge ids (build-graph.ts: `veth:<source>`, `port:<port>`). Consecutive interfaces
 * of the walk are joined by the veth or bridge-port edge between them; a routing decision
 * inside a namespace has no edge. A hop without an interface hangs its number on the
 * nearest interface of the walk, so every number shows somewhere.
 */
export function pathMarks(result: ExplainResult, s: Snapshot, real: RealDecision | null = null): PathMarks {
  const byId = new Map(s.interfaces.map((i) => [i.id, i]));
  const marks: PathMarks = new Map();
  const mark = (id: string): PathMark => {
    let m = marks.get(id);
    if (!m) marks.set(id, (m = { request: false, response: false, blocked: false, badges: [], verdict: result.verdict }));
    return m;
  };
  const touch = (id: string, role: HopBadge['role']) => {
    mark(id)[role] = true;
  };

  const join = (a: Interface, b: Interface, role: HopBadge['role']) => {
    if (a.peer === b.id || b.peer === a.id) {
      touch(`veth:${a.id}`, role);
      touch(`veth:${b.id}`, role);
    }
    if (a.master === b.id) touch(`port:${a.id}`, role);
    if (b.master === a.id) touch(`port:${b.id}`, role);
    if (a.master && a.master === b.master && byId.has(a.master)) {
      // Across a bridge: both ports and the bridge itself.
      touch(`port:${a.id}`, role);
      touch(`port:${b.id}`, role);
      touch(a.master, role);
    }
  };

  const walk = (hops: Hop[], role: HopBadge['role']) => {
    let last: Interface | null = null;
    const orphans: { badge: HopBadge; ns: string }[] = [];
    const visit = (id: string | null) => {
      const i = id ? byId.get(id) : undefined;
      if (!i) return;
      if (last && last.id !== i.id) join(last, i, role);
      touch(i.id, role);
      last = i;
    };
    hops.forEach((h, k) => {
      const blocked = h.verdict === 'drop';
      const badge: HopBadge = { text: role === 'request' ? String(k + 1) : `↩${k + 1}`, role, blocked };
      visit(h.inIface);
      // A dropped packet never leaves by its out interface: the path stops where it arrived.
      if (!blocked) visit(h.outIface);
      const at = blocked ? (byId.get(h.inIface ?? '') ?? last ?? byId.get(h.outIface ?? '')) : (byId.get(h.outIface ?? '') ?? byId.get(h.inIface ?? '') ?? last);
      if (!at) {
        orphans.push({ badge, ns: h.ns });
        return;
      }
      // Numbers waiting for an interface go where the packet first shows up, this hop's own where it ends.
      const entry = byId.get(h.inIface ?? '') ?? at;
      if (orphans.length) hang(entry, orphans.splice(0).map((o) => o.badge), role);
      hang(at, [badge], role);
    });
    // Hops before the first interface (a socket's send, OUTPUT) go on the first one seen;
    // a walk that never reached an interface (no route out, lo down) on its namespace's own.
    const first = orphans[0];
    const rest = (last as Interface | null) ?? (first ? nsAnchor(s, first.ns) : null);
    if (first && rest) hang(rest, orphans.map((o) => o.badge), role);
  };
  const hang = (at: Interface, badges: HopBadge[], role: HopBadge['role']) => {
    const m = mark(at.id);
    m[role] = true;
    for (const b of badges) {
      m.badges.push(b);
      if (b.blocked) m.blocked = true;
    }
  };
  walk(result.request, 'request');
  walk(result.response, 'response');
  markMappings(result, s, touch);
  if (real) {
    const at = realAnchor(result, s, real);
    if (at) mark(at.id).real = real.verdict;
  }
  return marks;
}

/**
 * The interface a real decision shows on: the predicted hop of that namespace and hook (where the
 * packet arrived, as a drop shows), else any hop of that namespace, else the namespace's own
 * interface — the trace may disagree with the prediction about where the packet goes.
 */
function realAnchor(result: ExplainResult, s: Snapshot, real: RealDecision): Interface | null {
  const byId = new Map(s.interfaces.map((i) => [i.id, i]));
  const hops = (real.direction === 'request' ? result.request : result.response).filter((h) => h.ns === real.ns);
  const at = (h: Hop | undefined): Interface | undefined => (h ? (byId.get(h.inIface ?? '') ?? byId.get(h.outIface ?? '')) : undefined);
  return at(hops.find((h) => h.stage === real.hook && at(h))) ?? at(hops.find((h) => at(h))) ?? nsAnchor(s, real.ns);
}

/**
 * The port mapping a request was translated by (a DNAT hop in PREROUTING or OUTPUT of the
 * namespace that owns the mapping, towards the asked port) is on the path too.
 */
function markMappings(result: ExplainResult, s: Snapshot, touch: (id: string, role: HopBadge['role']) => void): void {
  if (result.port === null || result.proto === 'icmp') return;
  for (const h of result.request) {
    const byMapping = h.decidedBy?.kind === 'portMapping';
    const byDnat = (h.stage === 'prerouting' || h.stage === 'output') && h.decidedBy?.kind === 'rule' && /-j DNAT\b/.test(h.decidedBy.spec);
    if (!byMapping && !byDnat) continue;
    const pm = s.portMappings.find((p) => p.ns === h.ns && p.proto === result.proto && p.hostPort <= (result.port as number) && (result.port as number) <= (p.hostPortEnd ?? p.hostPort));
    if (pm) touch(portMappingId(pm), 'request');
  }
}

/** Where a namespace's own hops show when none names an interface: its first real interface, else lo. */
function nsAnchor(s: Snapshot, ns: string): Interface | null {
  const own = s.interfaces.filter((i) => i.ns === ns);
  return own.find((i) => i.kind !== 'loopback') ?? own[0] ?? null;
}
