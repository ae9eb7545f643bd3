import type { Interface, Namespace, Route, Snapshot } from '../../protocol/src/snapshot.js';
import { nsFirewall, type NsFirewall } from '../firewall/ns-firewall.js';
import { addrOf, familyOf } from '../net/ip-addr.js';
import type { Family } from '../net/ip-addr.js';

/**
 * The snapshot indexed for tracing: namespaces, interfaces, routes and rules by id. Built once
 * per explain; pure.
 */
export interface NetIndex {
  snapshot: Snapshot;
  host: Namespace | null;
  ns(id: string): Namespace | undefined;
  iface(id: string): Interface | undefined;
  ifacesOf(nsId: string): Interface[];
  routesOf(nsId: string): Route[];
  /** The namespace's firewall, every source, indexed for walking. */
  fw(nsId: string): NsFirewall;
  /** The namespaces (and interfaces) holding an address. */
  holders(ip: string): { ns: string; iface: Interface }[];
}

export function indexSnapshot(s: Snapshot): NetIndex {
  const nsById = new Map(s.namespaces.map((n) => [n.id, n]));
  const ifById = new Map(s.interfaces.map((i) => [i.id, i]));
  const ifByNs = group(s.interfaces, (i) => i.ns);
  const routesByNs = group(s.routes, (r) => r.ns);
  const fws = new Map<string, NsFirewall>();
  const byAddr = new Map<string, { ns: string; iface: Interface }[]>();
  for (const i of s.interfaces) {
    for (const a of i.addresses) {
      const ip = addrOf(a).toLowerCase();
      byAddr.set(ip, [...(byAddr.get(ip) ?? []), { ns: i.ns, iface: i }]);
    }
  }
  return {
    snapshot: s,
    host: s.namespaces.find((n) => n.kind === 'host') ?? null,
    ns: (id) => nsById.get(id),
    iface: (id) => ifById.get(id),
    ifacesOf: (id) => ifByNs.get(id) ?? [],
    routesOf: (id) => routesByNs.get(id) ?? [],
    fw: (ns) => {
      let f = fws.get(ns);
      if (f === undefined) fws.set(ns, (f = nsFirewall(s, ns)));
      return f;
    },
    holders: (ip) => (ip.startsWith('127.') || ip === '::1' ? [] : (byAddr.get(ip.toLowerCase()) ?? [])),
  };
}

function group<T>(items: T[], key: (t: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const it of items) {
    const k = key(it);
    const list = m.get(k);
    if (list) list.push(it);
    else m.set(k, [it]);
  }
  return m;
}

/** The interface's first address of this family that is not link-local (as CIDR), or null. */
export function firstAddress(i: Interface, family: Family): string | null {
  return i.addresses.find((a) => familyOf(addrOf(a)) === family && !addrOf(a).toLowerCase().startsWith('fe80:')) ?? null;
}

/** How a person names a namespace: its /run/netns name, its container's name, "the host", or its id. */
export function nsName(idx: NetIndex, id: string | null): string {
  if (id === null) return 'outside this host';
  const n = idx.ns(id);
  if (!n) return id;
  if (n.kind === 'host') return 'the host';
  if (n.name) return n.name;
  if (n.container) return `container ${n.container.name}`;
  return id;
}

/** What an intent's `ns` should say: nothing for the host, else its /run/netns name or its id. */
export function nsRef(idx: NetIndex, id: string): string | undefined {
  const n = idx.ns(id);
  if (!n || n.kind === 'host') return undefined;
  return n.name ?? n.id;
}
