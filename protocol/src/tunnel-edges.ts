import { splitId } from './host-ids.js';
import type { Interface } from './snapshot.js';
import { tunnelRemotes, type TunnelEdge } from './tunnels.js';

/**
 * Tunnels as edges (issue 14): each far end a tunnel device sends to — its fixed `remote`, each
 * `bridge fdb` destination, each WireGuard peer's endpoint — joined to the device at that
 * address when the canvas holds it, else left open ("remote 192.0.2.7").
 *
 * The far device is found through the underlay: the interface that holds the far address (on
 * another host, or in another namespace of this one), then, on that host, a tunnel of the same
 * type and VNI — in the same namespace as that address first, and one that sends back to us
 * before one that does not. Pure: works on a single host's snapshot and on a merged one.
 */
const ip = (cidr: string): string => cidr.split('/')[0] ?? cidr;
const isLoopback = (a: string): boolean => a.startsWith('127.') || a === '::1';
const hostOf = (id: string): string | null => splitId(id).host;

export function tunnelEdges(interfaces: readonly Interface[]): TunnelEdge[] {
  const holders = new Map<string, Interface[]>();
  for (const i of interfaces) {
    for (const a of i.addresses) {
      const addr = ip(a);
      if (isLoopback(addr)) continue;
      holders.set(addr, [...(holders.get(addr) ?? []), i]);
    }
  }
  const tunnels = interfaces.filter((i): i is Interface & { tunnel: NonNullable<Interface['tunnel']> } => i.tunnel !== undefined);
  // The addresses of each namespace: does a far tunnel send back to the namespace we are in?
  const nsAddrs = new Map<string, Set<string>>();
  for (const i of interfaces) for (const a of i.addresses) nsAddrs.set(i.ns, (nsAddrs.get(i.ns) ?? new Set()).add(ip(a)));
  const edges = new Map<string, TunnelEdge>();
  for (const t of tunnels) {
    for (const remote of tunnelRemotes(t.tunnel)) {
      const far = (holders.get(remote) ?? []).filter((h) => h.ns !== t.ns);
      let best: { id: string; score: number } | null = null;
      for (const h of far) {
        for (const c of tunnels) {
          if (c === t || c.tunnel.type !== t.tunnel.type || c.tunnel.vni !== t.tunnel.vni || hostOf(c.id) !== hostOf(h.id)) continue;
          const back = tunnelRemotes(c.tunnel).some((r) => nsAddrs.get(t.ns)?.has(r));
          const score = (c.ns === h.ns ? 2 : 0) + (back ? 1 : 0);
          if (best === null || score > best.score) best = { id: c.id, score };
        }
      }
      const b = best?.id ?? null;
      const key = b !== null ? [t.id, b].sort().join('|') : `${t.id}|${remote}`;
      if (!edges.has(key)) edges.set(key, { id: `tunnel:${key}`, type: t.tunnel.type, a: t.id, b, remote, vni: t.tunnel.vni });
    }
  }
  return [...edges.values()].sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
}
