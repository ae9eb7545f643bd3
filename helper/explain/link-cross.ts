import type { Interface } from '../../protocol/src/snapshot.js';
import { undoDnat, undoSnat } from './conntrack.js';
import { runHook } from './netfilter-hooks.js';
import { nsName } from './net-index.js';
import type { Packet } from './packet.js';
import type { Tracer } from './tracer.js';
import { addHop } from './tracer.js';
import { intoWireGuard } from './wireguard-hops.js';

/**
 * How a packet gets from one namespace to the next: across a veth pair (the peer is resolved
 * across namespaces in the snapshot), through a bridge to the port whose far end answers ARP for
 * the next hop, or out of the host by any other device.
 */
export type CrossOutcome = { kind: 'arrive'; ns: string; inId: string } | { kind: 'outside'; ns: string; dev: string } | { kind: 'stop' };

const holds = (t: Tracer, ns: string, ip: string): boolean => t.idx.holders(ip).some((h) => h.ns === ns);

function linkDown(t: Tracer, at: Interface, from: Interface | null, pkt: Packet): CrossOutcome {
  addHop(t, at.kind === 'bridge' ? 'bridge' : 'veth', at.ns, { in: at.id, out: from?.id ?? null }, pkt, 'drop', `${at.name} in ${nsName(t.idx, at.ns)} is down: the packet is lost there`, {
    kind: 'setting',
    ns: at.ns,
    name: `link ${at.name}`,
    value: 'down',
  });
  t.blockers.push({ kind: 'link-down', ns: at.ns, iface: at });
  return { kind: 'stop' };
}

function noNeighbour(t: Tracer, dev: Interface, nexthop: string, pkt: Packet): CrossOutcome {
  addHop(t, dev.kind === 'bridge' ? 'bridge' : 'veth', dev.ns, { out: dev.id }, pkt, 'drop', `no one behind ${dev.name} answers ARP for ${nexthop}: the packet is never sent`);
  t.blockers.push({ kind: 'no-neighbour', ns: dev.ns, dev, nexthop });
  return { kind: 'stop' };
}

export function cross(t: Tracer, ns: string, devId: string, nexthop: string, pkt: Packet): CrossOutcome {
  const dev = t.idx.iface(devId);
  if (!dev) {
    addHop(t, 'veth', ns, { out: devId }, pkt, 'unknown', `interface ${devId} is not in the snapshot`);
    return { kind: 'stop' };
  }
  if (dev.kind === 'bridge') return throughBridge(t, dev, null, nexthop, pkt);
  if (dev.kind === 'veth' && dev.peer !== null) {
    const peer = t.idx.iface(dev.peer);
    if (!peer) {
      addHop(t, 'veth', ns, { out: dev.id }, pkt, 'unknown', `the far end of ${dev.name} is not in the snapshot`);
      return { kind: 'stop' };
    }
    if (!peer.up) return linkDown(t, peer, dev, pkt);
    addHop(t, 'veth', ns, { in: peer.id, out: dev.id }, pkt, 'pass', `crosses the veth pair ${dev.name} → ${peer.name} (${nsName(t.idx, peer.ns)})`);
    return arriveAt(t, peer, nexthop, pkt);
  }
  if (dev.tunnel !== undefined && t.idx.holders(nexthop).length === 0) return intoTunnel(t, ns, dev, nexthop, pkt);
  if (t.idx.holders(nexthop).length > 0) {
    addHop(t, 'uplink', ns, { out: dev.id }, pkt, 'unknown', `netloom cannot follow a packet through ${dev.name} (${dev.kind}) to ${nexthop}`);
    return { kind: 'stop' };
  }
  addHop(t, 'uplink', ns, { out: dev.id }, pkt, 'pass', `leaves ${nsName(t.idx, ns)} by ${dev.name} towards ${nexthop}, outside this host`);
  return { kind: 'outside', ns, dev: dev.id };
}

/** A frame arriving on `port`: a bridge port hands it to its bridge; otherwise the namespace must own the next hop (ARP). */
function arriveAt(t: Tracer, port: Interface, nexthop: string, pkt: Packet): CrossOutcome {
  if (port.master !== null) {
    const bridge = t.idx.iface(port.master);
    if (!bridge) return { kind: 'stop' };
    if (!bridge.up) return linkDown(t, bridge, port, pkt);
    if (holds(t, bridge.ns, nexthop)) {
      addHop(t, 'bridge', bridge.ns, { in: port.id, out: bridge.id }, pkt, 'pass', `into bridge ${bridge.name}, addressed to ${nsName(t.idx, bridge.ns)} itself (${nexthop})`);
      return { kind: 'arrive', ns: bridge.ns, inId: bridge.id };
    }
    return throughBridge(t, bridge, port, nexthop, pkt);
  }
  if (!holds(t, port.ns, nexthop)) return noNeighbour(t, port, nexthop, pkt);
  return { kind: 'arrive', ns: port.ns, inId: port.id };
}

/**
 * The bridge port whose far end holds `nexthop` (the one that answers ARP) — or, when no port on
 * this host leads to it, a tunnel port (VXLAN, Geneve, gretap: issue 14): the bridge floods the
 * ARP question into the tunnel and the answer may come from a host beyond it.
 */
function portTowards(t: Tracer, bridge: Interface, except: Interface | null, nexthop: string): Interface | undefined {
  const ports = t.idx.ifacesOf(bridge.ns).filter((i) => i.master === bridge.id && i.id !== except?.id);
  const local = ports.find((i) => i.peer !== null && holds(t, t.idx.iface(i.peer)?.ns ?? '', nexthop));
  if (local !== undefined || t.idx.holders(nexthop).length > 0) return local;
  return ports.find((i) => i.tunnel !== undefined && i.tunnel.type !== 'wireguard');
}

/**
 * Decapsulation as a hop: a frame that comes back out of a tunnel port of a bridge (the reply to
 * what `intoTunnel` sent) enters the bridge like any port's frame, addressed to the packet's own
 * destination on that segment.
 */
export function fromTunnel(t: Tracer, dev: Interface, pkt: Packet): CrossOutcome {
  addHop(t, 'uplink', dev.ns, { in: dev.id }, pkt, 'pass', `decapsulated by ${dev.name} (${tunnelWhat(dev)}): it comes in from beyond the tunnel`);
  return arriveAt(t, dev, pkt.dst, pkt);
}

const tunnelWhat = (dev: Interface): string => {
  const tun = dev.tunnel;
  if (tun === undefined) return dev.kind;
  return `${tun.type === 'vxlan' ? 'VXLAN' : tun.type === 'geneve' ? 'Geneve' : tun.type.toUpperCase()}${tun.vni !== null ? ` VNI ${tun.vni}` : ''}`;
};

/** Encapsulation as a hop: the frame leaves this host inside the tunnel, to its far end(s). */
function intoTunnel(t: Tracer, ns: string, dev: Interface, nexthop: string, pkt: Packet): CrossOutcome {
  const tun = dev.tunnel;
  if (tun === undefined) return { kind: 'stop' };
  if (tun.type === 'wireguard') return intoWireGuard(t, ns, dev, pkt) ? { kind: 'outside', ns, dev: dev.id } : { kind: 'stop' };
  const far = [tun.remote, ...(tun.fdb ?? []).map((f) => f.dst)].filter((x, i, all): x is string => x !== null && all.indexOf(x) === i);
  const what = tunnelWhat(dev);
  const ends = `${tun.local ?? 'this host'} → ${far.length > 0 ? far.join(', ') : (tun.group ?? 'its far ends')}${tun.dstPort !== null ? ` udp/${tun.dstPort}` : ''}`;
  addHop(t, 'uplink', ns, { out: dev.id }, pkt, 'pass', `encapsulated by ${dev.name} (${what}, ${ends}): ${nexthop} is beyond the tunnel, outside this host`);
  return { kind: 'outside', ns, dev: dev.id };
}

/**
 * Out of a bridge to the port leading to `nexthop`. A frame bridged from one port to another
 * also passes the bridge namespace's iptables (br_netfilter, bridge-nf-call-iptables=1 — which
 * Docker turns on): PREROUTING, FORWARD with -i and -o both the bridge, POSTROUTING.
 */
function throughBridge(t: Tracer, bridge: Interface, from: Interface | null, nexthop: string, pkt: Packet): CrossOutcome {
  const port = portTowards(t, bridge, from, nexthop);
  if (!port) return noNeighbour(t, bridge, nexthop, pkt);
  if (from !== null) {
    const ns = bridge.ns;
    if (t.dir === 'response') undoSnat(t, ns, pkt, bridge.id);
    if (!runHook(t, 'prerouting', 'prerouting', ns, pkt, bridge.id, null, { bridged: true })) return { kind: 'stop' };
    if (!runHook(t, 'forward', 'forward', ns, pkt, bridge.id, bridge.id, { bridged: true })) return { kind: 'stop' };
    if (!runHook(t, 'postrouting', 'postrouting', ns, pkt, bridge.id, bridge.id, { bridged: true })) return { kind: 'stop' };
    if (t.dir === 'response') undoDnat(t, ns, pkt, bridge.id);
  }
  if (!port.up) return linkDown(t, port, bridge, pkt);
  addHop(t, 'bridge', bridge.ns, { in: from?.id ?? bridge.id, out: port.id }, pkt, 'pass', `bridge ${bridge.name} forwards it to its port ${port.name}`);
  return cross(t, bridge.ns, port.id, nexthop, pkt);
}
