import type { ExplainEndpoint } from '../../protocol/src/explain.js';
import { ProtocolError } from '../../protocol/src/errors.js';
import type { Namespace } from '../../protocol/src/snapshot.js';
import type { Family } from '../net/ip-addr.js';
import { addrOf, familyOf, isGlobal } from '../net/ip-addr.js';
import type { NetIndex } from './net-index.js';
import { nsName } from './net-index.js';
import { lookupRoute } from './route-lookup.js';

/**
 * Where a packet starts and ends, resolved against the snapshot: a namespace (by /run/netns
 * name or id) and its address, an address (inside a namespace of this host, or outside it), or
 * a host port as an outside client sees it.
 */
export interface Endpoint {
  /** null: outside this host. */
  ns: string | null;
  /** null: the namespace has no address of the family wanted. */
  ip: string | null;
  label: string;
  /** The user (or the form) named the address: routing must not pick another source. */
  pinned: boolean;
  /** A host port: the port itself. */
  hostPort?: number;
}

export function findNamespace(idx: NetIndex, ref: string, field: string): Namespace {
  const n = ref.startsWith('ns:') ? idx.ns(ref) : idx.snapshot.namespaces.find((x) => x.name === ref) ?? (ref === 'host' ? idx.host ?? undefined : undefined);
  if (!n) throw new ProtocolError('not_found', `no network namespace "${ref}" on this host`, { path: field });
  return n;
}

/** The namespace's first global address of `family` (4 first when no family is asked). */
export function firstGlobal(idx: NetIndex, ns: string, family?: Family): string | null {
  const all = idx
    .ifacesOf(ns)
    .filter((i) => i.kind !== 'loopback')
    .flatMap((i) => i.addresses.map(addrOf))
    .filter(isGlobal);
  if (family !== undefined) return all.find((a) => familyOf(a) === family) ?? null;
  return all.find((a) => familyOf(a) === 4) ?? all[0] ?? null;
}

/** A namespace endpoint's own address must be one of the namespace's (127.0.0.1 and ::1 always are). */
function requireHeld(idx: NetIndex, ns: string, ip: string, field: string): void {
  const loopback = ip.startsWith('127.') || ip === '::1';
  if (!loopback && !idx.holders(ip).some((h) => h.ns === ns)) throw new ProtocolError('invalid', `${ip} is not an address of ${nsName(idx, ns)}`, { path: field });
}

/** An address: the namespace holding it, or outside. A loopback address is the asking namespace's own. */
function ofAddress(idx: NetIndex, ip: string, self: string | null = null): Endpoint {
  if ((ip.startsWith('127.') || ip === '::1') && self !== null) return { ns: self, ip, label: `${ip} (${nsName(idx, self)})`, pinned: true };
  const h = idx.holders(ip)[0];
  if (h) return { ns: h.ns, ip, label: `${ip} (${nsName(idx, h.ns)})`, pinned: true };
  return { ns: null, ip, label: `${ip} (outside this host)`, pinned: true };
}

export function resolveSource(idx: NetIndex, ep: ExplainEndpoint, want: Family | undefined): Endpoint {
  if (ep.kind === 'address') return ofAddress(idx, ep.ip);
  if (ep.kind === 'hostPort') throw new ProtocolError('invalid', 'a host port can only be a destination', { path: 'src' });
  const n = findNamespace(idx, ep.ns, 'src.ns');
  if (ep.ip !== undefined) requireHeld(idx, n.id, ep.ip, 'src.ip');
  const ip = ep.ip ?? firstGlobal(idx, n.id, want);
  return { ns: n.id, ip, label: nsName(idx, n.id) + (ip ? ` (${ip})` : ''), pinned: ep.ip !== undefined };
}

/**
 * A host port without an address: the host address the client would use — the one on the
 * interface the host reaches the client by, or the host's first global address.
 */
function hostAddressFor(idx: NetIndex, host: string, client: string | null, family: Family): string | null {
  if (client !== null) {
    const r = lookupRoute(idx, host, client);
    if (r.kind === 'local') return client;
    if (r.kind === 'unicast') {
      if (r.route.src && familyOf(r.route.src) === family) return r.route.src;
      const a = idx.iface(r.dev)?.addresses.map(addrOf).find((x) => familyOf(x) === family && isGlobal(x));
      if (a) return a;
    }
  }
  return firstGlobal(idx, host, family);
}

export function resolveDestination(idx: NetIndex, ep: ExplainEndpoint, src: Endpoint | null): Endpoint {
  if (ep.kind === 'address') return ofAddress(idx, ep.ip, src?.ns ?? null);
  const want = src?.ip ? (familyOf(src.ip) ?? undefined) : undefined;
  if (ep.kind === 'ns') {
    const n = findNamespace(idx, ep.ns, 'dst.ns');
    if (ep.ip !== undefined) requireHeld(idx, n.id, ep.ip, 'dst.ip');
    const ip = ep.ip ?? firstGlobal(idx, n.id, want) ?? firstGlobal(idx, n.id);
    return { ns: n.id, ip, label: nsName(idx, n.id) + (ip ? ` (${ip})` : ''), pinned: ep.ip !== undefined };
  }
  const host = idx.host;
  if (!host) throw new ProtocolError('unavailable', 'the snapshot has no host namespace', { path: 'dst' });
  const ip = ep.ip ?? hostAddressFor(idx, host.id, src?.ip ?? null, want ?? 4);
  return { ns: host.id, ip, label: `host port ${ip ?? '?'}:${ep.port}`, pinned: ep.ip !== undefined, hostPort: ep.port };
}
