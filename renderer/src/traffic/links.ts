import type { Interface, Snapshot } from '../../../protocol/src/index.js';
import { namespaceName } from '../graph/labels.js';
import { labelRate } from './counters-store.js';
import type { CounterEntry } from './counters-store.js';

/** A link the graph draws as an edge: a veth pair (once) or a bridge port. */
export interface TrafficLink {
  /** The interface whose counters measure it; selecting the link selects this interface. */
  counterId: string;
  label: string;
  kind: 'veth' | 'port';
}

const where = (s: Snapshot, i: Interface) => {
  const ns = s.namespaces.find((n) => n.id === i.ns);
  return ns && ns.kind !== 'host' ? `${i.name} (${namespaceName(ns)})` : i.name;
};

/** Every veth pair (once) and every bridge port of a snapshot. */
export function trafficLinks(s: Snapshot): TrafficLink[] {
  const byId = new Map(s.interfaces.map((i) => [i.id, i]));
  const out: TrafficLink[] = [];
  const seen = new Set<string>();
  for (const i of s.interfaces) {
    const peer = i.peer ? byId.get(i.peer) : undefined;
    if (peer && !seen.has(peer.id)) {
      seen.add(i.id);
      out.push({ counterId: i.id, kind: 'veth', label: `${where(s, i)} ↔ ${where(s, peer)}` });
    } else if (!peer && i.master && byId.has(i.master)) {
      out.push({ counterId: i.id, kind: 'port', label: `${(byId.get(i.master) as Interface).name} port ${where(s, i)}` });
    }
  }
  return out;
}

/** The busiest links, by bytes/s in both directions; idle links are left out. */
export function busiestLinks(links: readonly TrafficLink[], get: (id: string) => CounterEntry | undefined, limit = 10): { link: TrafficLink; rate: number }[] {
  return links
    .map((link) => ({ link, rate: labelRate(get(link.counterId)) }))
    .filter((x) => x.rate >= 1)
    .sort((a, b) => b.rate - a.rate)
    .slice(0, limit);
}
