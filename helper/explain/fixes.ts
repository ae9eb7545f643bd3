import type { FixPlan } from '../../protocol/src/explain.js';
import type { Intent } from '../../protocol/src/intents.js';
import type { Interface } from '../../protocol/src/snapshot.js';
import type { Family } from '../net/ip-addr.js';
import { addrOf, cidrHolds, familyOf, isGlobal, networkOf, parsePrefix } from '../net/ip-addr.js';
import type { NetIndex } from './net-index.js';
import { nsName, nsRef } from './net-index.js';

/**
 * One-click fixes as intents (DESIGN §5): the helper compiles them into a plan that is shown as
 * commands before it runs, journaled and undoable like any other.
 */
const withNs = (idx: NetIndex, ns: string): { ns?: string } => {
  const ref = nsRef(idx, ns);
  return ref === undefined ? {} : { ns: ref };
};

const plan = (summary: string, ...intents: Intent[]): FixPlan => ({ summary, intents });

export function linkUp(idx: NetIndex, i: Interface): FixPlan {
  return plan(`bring ${i.name} up in ${nsName(idx, i.ns)}`, { op: 'link.set', name: i.name, up: true, ...withNs(idx, i.ns) });
}

export function routeVia(idx: NetIndex, ns: string, dst: string, via: string): FixPlan {
  return plan(`add the route ${dst} via ${via} in ${nsName(idx, ns)}`, { op: 'route.add', dst, via, ...withNs(idx, ns) });
}

export function forwardingOn(idx: NetIndex, ns: string): FixPlan {
  return plan(`turn IPv4 forwarding on in ${nsName(idx, ns)}`, { op: 'forwarding.set', enabled: true, ...withNs(idx, ns) });
}

export function forwardAllow(idx: NetIndex, ns: string, source: string, destination: string | undefined): FixPlan {
  return plan(`let ${source}${destination ? ` → ${destination}` : ''} through FORWARD in ${nsName(idx, ns)}, and its replies`, {
    op: 'forward.allow',
    source,
    ...(destination !== undefined ? { destination } : {}),
    ...withNs(idx, ns),
  });
}

export function masquerade(idx: NetIndex, ns: string, source: string, outDev: string): FixPlan {
  return plan(`MASQUERADE ${source} out of ${outDev} in ${nsName(idx, ns)}`, { op: 'nat.masquerade.add', source, outDev, ...withNs(idx, ns) });
}

export function portmap(idx: NetIndex, ns: string, proto: 'tcp' | 'udp', hostPort: number, targetIp: string, targetPort: number): FixPlan {
  return plan(`map ${proto} port ${hostPort} of ${nsName(idx, ns)} to ${targetIp}:${targetPort}`, { op: 'portmap.add', proto, hostPort, targetIp, targetPort, ...withNs(idx, ns) });
}

/** The subnet an address lives in on this host (`10.0.0.0/24`), or the address as a /32. */
export function subnetOf(idx: NetIndex, ip: string): string {
  const h = idx.holders(ip)[0];
  const cidr = h?.iface.addresses.find((a) => addrOf(a) === ip);
  return cidr && familyOf(ip) === 4 ? networkOf(cidr) : `${ip}/${familyOf(ip) === 6 ? 128 : 32}`;
}

/** Addresses on the far side of an interface: its veth peer's, or for a bridge port the bridge's and the other ports' far ends. */
export function farAddresses(idx: NetIndex, i: Interface): { ns: string; ip: string }[] {
  const peer = i.peer ? idx.iface(i.peer) : undefined;
  if (!peer) return [];
  const bridge = peer.master ? idx.iface(peer.master) : undefined;
  const others = bridge
    ? idx.ifacesOf(bridge.ns).filter((p) => p.master === bridge.id && p.id !== peer.id).flatMap((p) => (p.peer ? [idx.iface(p.peer)] : []))
    : [];
  return [bridge ?? peer, ...others]
    .filter((x): x is Interface => x !== undefined && x.ns !== i.ns)
    .flatMap((x) => x.addresses.map((a) => ({ ns: x.ns, ip: addrOf(a) })));
}

/**
 * The router a namespace should send through: an address on the far side of one of its links,
 * in the same subnet, preferring a namespace that forwards (the host first).
 */
export function gatewayFor(idx: NetIndex, ns: string, family: Family): { ip: string; ns: string } | null {
  const found: { ip: string; ns: string }[] = [];
  for (const i of idx.ifacesOf(ns)) {
    if (i.kind === 'loopback' || !i.up) continue;
    for (const a of i.addresses) {
      if (familyOf(addrOf(a)) !== family || !isGlobal(addrOf(a))) continue;
      for (const far of farAddresses(idx, i)) if (cidrHolds(networkOf(a), far.ip) && far.ip !== addrOf(a)) found.push(far);
    }
  }
  // A namespace that does not forward is no router: sending through it would only move the problem.
  const rank = (c: { ns: string }): number => (idx.ns(c.ns)?.kind === 'host' ? 0 : 1);
  return found.filter((c) => idx.ns(c.ns)?.ipForward === true).sort((a, b) => rank(a) - rank(b))[0] ?? null;
}

/** An address of `subnet` (IPv4) that no interface on this host holds, for a namespace that sits in the wrong subnet. */
export function freeAddressIn(idx: NetIndex, subnet: string): string | null {
  const p = parsePrefix(subnet);
  if (p === null || p.family !== 4 || p.bits > 30) return null;
  const base = Number(p.base);
  const size = 2 ** (32 - p.bits);
  for (let n = 2; n < Math.min(size - 1, 256); n++) {
    const v = base + n;
    const ip = [24, 16, 8, 0].map((sh) => (v >>> sh) & 255).join('.');
    if (idx.holders(ip).length === 0) return `${ip}/${p.bits}`;
  }
  return null;
}

export function addAddress(idx: NetIndex, i: Interface, cidr: string): FixPlan {
  return plan(`add ${cidr} to ${i.name} in ${nsName(idx, i.ns)}`, { op: 'addr.add', dev: i.name, cidr, ...withNs(idx, i.ns) });
}

export function plugIntoBridge(idx: NetIndex, port: Interface, bridge: Interface): FixPlan {
  return plan(`plug ${port.name} into bridge ${bridge.name} in ${nsName(idx, port.ns)}`, { op: 'link.set', name: port.name, master: bridge.name, up: true, ...withNs(idx, port.ns) });
}
