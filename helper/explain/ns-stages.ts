import type { Interface } from '../../protocol/src/snapshot.js';
import { undoDnat, undoSnat } from './conntrack.js';
import { filterHook, natHook, rawHook } from './netfilter-hooks.js';
import type { Packet } from './packet.js';
import { ipPort } from './packet.js';
import { lookupRoute, routeText } from './route-lookup.js';
import type { RouteDecision } from './route-lookup.js';
import { nsName } from './net-index.js';
import { familyOf } from './ip-addr.js';
import type { Tracer } from './tracer.js';
import { addHop, ifName } from './tracer.js';

/**
 * What happens to a packet inside one namespace: sent by a local socket (OUTPUT) or received on
 * an interface (PREROUTING → routing → INPUT or FORWARD → POSTROUTING). Each returns where it
 * goes next: delivered to a local socket, out of an interface towards a next hop, or stopped.
 */
export type NsOutcome = { kind: 'deliver'; ns: string } | { kind: 'leave'; ns: string; dev: string; nexthop: string } | { kind: 'stop' };

const routeDecider = (t: Tracer, ns: string, r: RouteDecision) =>
  r.kind === 'local' || r.kind === 'unicast' || r.kind === 'refused' ? { kind: 'route' as const, ns, table: r.route.table, dst: r.route.dst, text: routeText(t.idx, r.route) } : null;

/** A routing decision as a hop; records why it failed. */
function route(t: Tracer, ns: string, pkt: Packet, inId: string | null): RouteDecision {
  const r = lookupRoute(t.idx, ns, pkt.dst);
  const by = routeDecider(t, ns, r);
  const io = { in: inId, out: r.kind === 'unicast' ? r.dev : null };
  if (r.kind === 'none') {
    addHop(t, 'route', ns, io, pkt, 'drop', `no route to ${pkt.dst} in ${nsName(t.idx, ns)} ("Network is unreachable")`);
    t.blockers.push({ kind: 'no-route', ns, pkt: { ...pkt } });
  } else if (r.kind === 'refused') {
    addHop(t, 'route', ns, io, pkt, 'drop', `${r.why} for ${pkt.dst}: ${routeText(t.idx, r.route)}`, by);
    if (by) t.blockers.push({ kind: 'route-refused', ns, pkt: { ...pkt }, decider: by });
  } else if (r.kind === 'unknown') {
    addHop(t, 'route', ns, io, pkt, 'unknown', r.why);
  } else if (r.kind === 'local') {
    addHop(t, 'route', ns, io, pkt, 'pass', `${pkt.dst} is an address of ${nsName(t.idx, ns)}: delivered locally`, by);
  } else {
    addHop(t, 'route', ns, io, pkt, 'pass', `routed by ${routeText(t.idx, r.route)}`, by);
  }
  return r;
}

function loopback(t: Tracer, ns: string): Interface | undefined {
  return t.idx.ifacesOf(ns).find((i) => i.kind === 'loopback');
}

/** INPUT, then a socket. */
function deliver(t: Tracer, ns: string, pkt: Packet, inId: string | null): NsOutcome {
  if (t.dir === 'response') undoDnat(t, ns, pkt, null);
  if (!filterHook(t, 'input', ns, 'INPUT', pkt, inId, null)) return { kind: 'stop' };
  if (pkt.proto !== 'icmp' && pkt.dport !== null && t.dir === 'request') {
    const listens = t.listening?.(ns, pkt.proto, pkt.dport) ?? null;
    if (listens === false) {
      // It did arrive: the kernel turns it away itself (issue 15 — not "the request never arrives").
      const answer = pkt.proto === 'tcp' ? 'the kernel refuses it with a reset (RST): connection refused' : 'the kernel answers ICMP port unreachable';
      addHop(t, 'deliver', ns, { in: inId }, pkt, 'drop', `arrived at ${ipPort(pkt.dst, pkt.dport)} in ${nsName(t.idx, ns)}, but nothing listens on ${pkt.proto} port ${pkt.dport}: ${answer}`);
      t.blockers.push({ kind: 'not-listening', ns, pkt: { ...pkt } });
      return { kind: 'stop' };
    }
    const text = listens ? `a socket listens on ${pkt.proto} port ${pkt.dport}` : `a server must listen on ${pkt.proto} port ${pkt.dport} there`;
    addHop(t, 'deliver', ns, { in: inId }, pkt, 'pass', `delivered to ${ipPort(pkt.dst, pkt.dport)} in ${nsName(t.idx, ns)}: ${text}`);
  } else {
    addHop(t, 'deliver', ns, { in: inId }, pkt, 'pass', `delivered to ${pkt.dst} in ${nsName(t.idx, ns)}${pkt.proto === 'icmp' && t.dir === 'request' ? ' (the kernel answers the echo)' : ''}`);
  }
  return { kind: 'deliver', ns };
}

/** Everything leaving by `dev`: the device must be up, then POSTROUTING. */
function leave(t: Tracer, ns: string, pkt: Packet, inId: string | null, dev: string, nexthop: string): NsOutcome {
  const out = t.idx.iface(dev);
  if (out && !out.up) {
    addHop(t, 'postrouting', ns, { in: inId, out: dev }, pkt, 'drop', `${out.name} is down in ${nsName(t.idx, ns)}`, { kind: 'setting', ns, name: `link ${out.name}`, value: 'down' });
    t.blockers.push({ kind: 'link-down', ns, iface: out });
    return { kind: 'stop' };
  }
  natHook(t, 'postrouting', ns, 'POSTROUTING', pkt, inId, dev);
  if (t.dir === 'response') undoDnat(t, ns, pkt, dev);
  return { kind: 'leave', ns, dev, nexthop };
}

/** A packet a socket in `ns` sends. */
export function localOut(t: Tracer, ns: string, pkt: Packet): NsOutcome {
  addHop(t, 'send', ns, {}, pkt, 'pass', `${t.dir === 'request' ? 'sent' : 'answered'} from ${nsName(t.idx, ns)}: ${pkt.proto} ${ipPort(pkt.src, pkt.sport)} → ${ipPort(pkt.dst, pkt.dport)}`);
  let r = lookupRoute(t.idx, ns, pkt.dst);
  if (t.dir === 'request' && !t.srcPinned && r.kind === 'unicast' && r.route.src && familyOf(r.route.src) === pkt.family) pkt.src = r.route.src;
  if (t.dir === 'request' && !t.srcPinned && r.kind === 'local') pkt.src = pkt.dst;
  if (t.dir === 'request') t.origin = pkt.src;
  const firstOut = r.kind === 'unicast' ? r.dev : null;
  natHook(t, 'output', ns, 'OUTPUT', pkt, null, firstOut);
  if (t.dir === 'response') undoDnat(t, ns, pkt, firstOut);
  // Packets to the namespace's own addresses loop through lo; with lo down they go nowhere (and the
  // kernel drops 127.0.0.0/8 from the local table too, so such a packet is never routed out either).
  const lo = loopback(t, ns);
  const loDown = (): NsOutcome => {
    addHop(t, 'output', ns, { out: lo?.id ?? null }, pkt, 'drop', `the loopback (lo) is down in ${nsName(t.idx, ns)}: packets to its own addresses go nowhere`, { kind: 'setting', ns, name: 'link lo', value: 'down' });
    if (lo) t.blockers.push({ kind: 'lo-down', ns, lo });
    return { kind: 'stop' };
  };
  if ((pkt.dst.startsWith('127.') || pkt.dst === '::1') && lo && !lo.up) return loDown();
  r = route(t, ns, pkt, null);
  if (r.kind === 'none' || r.kind === 'refused') return { kind: 'stop' };
  if (r.kind === 'local') {
    if (lo && !lo.up) return loDown();
    if (!filterHook(t, 'output', ns, 'OUTPUT', pkt, null, lo?.id ?? null)) return { kind: 'stop' };
    return deliver(t, ns, pkt, lo?.id ?? null);
  }
  if (r.kind === 'unknown') return { kind: 'stop' };
  if (!filterHook(t, 'output', ns, 'OUTPUT', pkt, null, r.dev)) return { kind: 'stop' };
  return leave(t, ns, pkt, null, r.dev, r.nexthop);
}

/** A packet arriving on `inId` (already up: link-cross checked it). */
export function receive(t: Tracer, ns: string, inId: string, pkt: Packet): NsOutcome {
  if (t.dir === 'response') undoSnat(t, ns, pkt, inId);
  if (t.idx.iface(inId)?.kind !== 'loopback' && lookupRoute(t.idx, ns, pkt.src).kind === 'local') {
    addHop(t, 'prerouting', ns, { in: inId }, pkt, 'drop', `it arrives on ${ifName(t, inId)} from ${pkt.src}, an address of ${nsName(t.idx, ns)} itself: the kernel drops it as a martian source`);
    t.blockers.push({ kind: 'martian', ns, pkt: { ...pkt } });
    return { kind: 'stop' };
  }
  if (!rawHook(t, 'prerouting', ns, 'PREROUTING', pkt, inId)) return { kind: 'stop' };
  natHook(t, 'prerouting', ns, 'PREROUTING', pkt, inId, null);
  const r = route(t, ns, pkt, inId);
  if (r.kind === 'local') return deliver(t, ns, pkt, inId);
  if (r.kind !== 'unicast') return { kind: 'stop' };
  const n = t.idx.ns(ns);
  if (n?.ipForward === false) {
    addHop(t, 'forward', ns, { in: inId, out: r.dev }, pkt, 'drop', `forwarding is off in ${nsName(t.idx, ns)} (net.ipv4.ip_forward=0): it does not route between ${ifName(t, inId)} and ${ifName(t, r.dev)}`, {
      kind: 'setting',
      ns,
      name: 'net.ipv4.ip_forward',
      value: '0',
    });
    t.blockers.push({ kind: 'forwarding-off', ns, pkt: { ...pkt } });
    return { kind: 'stop' };
  }
  if (n?.ipForward == null) addHop(t, 'forward', ns, { in: inId, out: r.dev }, pkt, 'unknown', `whether ${nsName(t.idx, ns)} forwards (ip_forward) is not known`);
  if (!filterHook(t, 'forward', ns, 'FORWARD', pkt, inId, r.dev)) return { kind: 'stop' };
  return leave(t, ns, pkt, inId, r.dev, r.nexthop);
}
