import type { Packet } from './packet.js';
import { cross, fromTunnel } from './link-cross.js';
import { localOut, receive } from './ns-stages.js';
import type { Tracer } from './tracer.js';
import { addHop } from './tracer.js';
import { fromWireGuard } from './wireguard-hops.js';

/**
 * Follows one packet from where it starts (a socket in a namespace, or an interface it arrives
 * on) namespace by namespace until it is delivered, leaves the host, or stops.
 */
export type TraceEnd = { kind: 'delivered'; ns: string; pkt: Packet } | { kind: 'outside'; ns: string; dev: string; pkt: Packet } | { kind: 'stopped'; pkt: Packet };

export interface TraceStart {
  ns: string;
  /** null: a socket in `ns` sends it; else the interface it arrives on. */
  inId: string | null;
}

const MAX_NAMESPACES = 32;

export function runTrace(t: Tracer, start: TraceStart, pkt: Packet): TraceEnd {
  let pos = start;
  // A reply coming back out of a bridge's tunnel port is switched, not routed (issue 14).
  const at = start.inId !== null ? t.idx.iface(start.inId) : undefined;
  if (at !== undefined && at.tunnel !== undefined && at.master !== null) {
    const c = fromTunnel(t, at, pkt);
    if (c.kind === 'outside') return { kind: 'outside', ns: c.ns, dev: c.dev, pkt };
    if (c.kind === 'stop') return { kind: 'stopped', pkt };
    pos = { ns: c.ns, inId: c.inId };
  }
  // Out of a WireGuard device: only what its peer may send gets in.
  if (at !== undefined && at.tunnel?.type === 'wireguard' && !fromWireGuard(t, at, pkt)) return { kind: 'stopped', pkt };
  for (let i = 0; i < MAX_NAMESPACES; i++) {
    const o = pos.inId === null ? localOut(t, pos.ns, pkt) : receive(t, pos.ns, pos.inId, pkt);
    if (o.kind === 'deliver') return { kind: 'delivered', ns: o.ns, pkt };
    if (o.kind === 'stop') return { kind: 'stopped', pkt };
    const c = cross(t, o.ns, o.dev, o.nexthop, pkt);
    if (c.kind === 'outside') return { kind: 'outside', ns: c.ns, dev: c.dev, pkt };
    if (c.kind === 'stop') return { kind: 'stopped', pkt };
    pos = { ns: c.ns, inId: c.inId };
  }
  addHop(t, 'route', pos.ns, {}, pkt, 'unknown', `more than ${MAX_NAMESPACES} namespaces on the way: a routing loop?`);
  return { kind: 'stopped', pkt };
}

/** The reply to a packet as it arrived: addresses and ports swapped, part of the connection. */
export function replyTo(p: Packet): Packet {
  return { family: p.family, src: p.dst, dst: p.src, proto: p.proto, sport: p.dport, dport: p.sport, ct: 'ESTABLISHED', mark: 0, ctmark: p.ctmark };
}
