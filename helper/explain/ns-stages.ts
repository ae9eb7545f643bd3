import type { Interface } from '../../protocol/src/snapshot.js';
import { undoDnat, undoSnat } from './conntrack.js';
import { runHook } from './netfilter-hooks.js';
import type { Packet } from './packet.js';
import { ipPort } from './packet.js';
import { ipRuleText, lookupRoute, routeDecider, routeText } from './route-lookup.js';
import type { RouteDecision, Selectors } from './route-lookup.js';
import { nsName } from './net-index.js';
import { familyOf } from '../net/ip-addr.js';
import type { Tracer } from './tracer.js';
import { addHop, ifName } from './tracer.js';
import { rpFilterCheck } from './rp-filter.js';

/**
 * What happens to a packet inside one namespace: sent by a local socket (route → OUTPUT → route
 * again after a DNAT or mark → POSTROUTING) or received on an interface (PREROUTING → routing with
 * policy rules and reverse-path filtering → INPUT or FORWARD → POSTROUTING). Each returns where it
 * goes next: delivered to a local socket, out of an interface towards a next hop, or stopped.
 */
export type NsOutcome = { kind: 'deliver'; ns: string } | { kind: 'leave'; ns: string; dev: string; nexthop: string } | { kind: 'stop' };

const isLoopback = (ip: string): boolean => ip.startsWith('127.') || ip === '::1';

/** A routing decision as a hop; records why it failed. */
function route(t: Tracer, ns: string, pkt: Packet, inId: string | null, sel: Selectors, again = false): RouteDecision {
  const r = lookupRoute(t.idx, ns, pkt.dst, sel);
  const by = routeDecider(ns, t.idx, r);
  const io = { in: inId, out: r.kind === 'unicast' ? r.dev : null };
  const via = r.rule ? ` (policy rule ${ipRuleText(r.rule)})` : '';
  const pre = again ? 'routed again after the change: ' : '';
  if (r.kind === 'none') {
    addHop(t, 'route', ns, io, pkt, 'drop', `${pre}no route to ${pkt.dst} in ${nsName(t.idx, ns)} ("Network is unreachable")`);
    t.blockers.push({ kind: 'no-route', ns, pkt: { ...pkt } });
  } else if (r.kind === 'refused') {
    addHop(t, 'route', ns, io, pkt, 'drop', `${pre}${r.why} for ${pkt.dst}${r.route ? `: ${routeText(t.idx, r.route)}` : ''}${r.route ? via : ''}`, by);
    if (r.rule) t.blockers.push({ kind: 'policy-route', ns, pkt: { ...pkt }, rule: r.rule, decider: by });
    else if (by) t.blockers.push({ kind: 'route-refused', ns, pkt: { ...pkt }, decider: by });
  } else if (r.kind === 'unknown') {
    addHop(t, 'route', ns, io, pkt, 'unknown', r.why);
  } else if (r.kind === 'local') {
    addHop(t, 'route', ns, io, pkt, 'pass', `${pre}${pkt.dst} is an address of ${nsName(t.idx, ns)}: delivered locally${via}`, by);
  } else {
    addHop(t, 'route', ns, io, pkt, 'pass', `${pre}routed by ${routeText(t.idx, r.route)}${via}`, by);
    if (r.rule) t.blockers.push({ kind: 'policy-route', ns, pkt: { ...pkt }, rule: r.rule, decider: by });
  }
  return r;
}

function loopback(t: Tracer, ns: string): Interface | undefined {
  return t.idx.ifacesOf(ns).find((i) => i.kind === 'loopback');
}

/** What `ss` said for this packet: listening on an address that takes it, closed, bound elsewhere, or not known. */
/** What the kernel answers a packet for a port no socket takes. */
const refusal = (pkt: Packet) => (pkt.proto === 'tcp' ? 'the kernel refuses it with a reset (RST): connection refused' : 'the kernel answers ICMP port unreachable');

function listener(t: Tracer, ns: string, pkt: Packet, inId: string | null): boolean {
  if (pkt.proto === 'icmp' || pkt.dport === null || t.dir !== 'request') {
    addHop(t, 'deliver', ns, { in: inId }, pkt, 'pass', `delivered to ${pkt.dst} in ${nsName(t.idx, ns)}${pkt.proto === 'icmp' && t.dir === 'request' ? ' (the kernel answers the echo)' : ''}`);
    return true;
  }
  const answer = t.listening?.(ns, pkt.proto, pkt.dport, pkt.dst) ?? null;
  if (answer === false) {
    // It did arrive: the kernel turns it away itself (issue 15 — not "the request never arrives").
    addHop(t, 'deliver', ns, { in: inId }, pkt, 'drop', `arrived at ${ipPort(pkt.dst, pkt.dport)} in ${nsName(t.idx, ns)}, but nothing listens on ${pkt.proto} port ${pkt.dport}: ${refusal(pkt)}`);
    t.blockers.push({ kind: 'not-listening', ns, pkt: { ...pkt } });
    return false;
  }
  if (answer !== null && answer !== true) {
    addHop(t, 'deliver', ns, { in: inId }, pkt, 'drop', `${pkt.proto} port ${pkt.dport} in ${nsName(t.idx, ns)} is held by a socket bound to ${answer.boundTo.join(', ')}, not to ${pkt.dst}: ${refusal(pkt)}`);
    t.blockers.push({ kind: 'not-bound', ns, pkt: { ...pkt }, boundTo: answer.boundTo });
    return false;
  }
  const text = answer ? `a socket listens on ${pkt.proto} port ${pkt.dport}` : `a server must listen on ${pkt.proto} port ${pkt.dport} there`;
  addHop(t, 'deliver', ns, { in: inId }, pkt, 'pass', `delivered to ${ipPort(pkt.dst, pkt.dport)} in ${nsName(t.idx, ns)}: ${text}`);
  return true;
}

/** INPUT, then a socket. */
function deliver(t: Tracer, ns: string, pkt: Packet, inId: string | null): NsOutcome {
  if (t.dir === 'response') undoDnat(t, ns, pkt, null);
  if (!runHook(t, 'input', 'input', ns, pkt, inId, null)) return { kind: 'stop' };
  return listener(t, ns, pkt, inId) ? { kind: 'deliver', ns } : { kind: 'stop' };
}

/** Everything leaving by `dev`: the device must be up, then POSTROUTING. */
function leave(t: Tracer, ns: string, pkt: Packet, inId: string | null, dev: string, nexthop: string): NsOutcome {
  const out = t.idx.iface(dev);
  if (out && !out.up) {
    addHop(t, 'postrouting', ns, { in: inId, out: dev }, pkt, 'drop', `${out.name} is down in ${nsName(t.idx, ns)}`, { kind: 'setting', ns, name: `link ${out.name}`, value: 'down' });
    t.blockers.push({ kind: 'link-down', ns, iface: out });
    return { kind: 'stop' };
  }
  if (!runHook(t, 'postrouting', 'postrouting', ns, pkt, inId, dev)) return { kind: 'stop' };
  if (t.dir === 'response') undoDnat(t, ns, pkt, dev);
  return { kind: 'leave', ns, dev, nexthop };
}

/** route_localnet: a packet from or to 127.0.0.0/8 may leave by `dev` only with it on (conf/all or the device). */
function routeLocalnetOff(t: Tracer, ns: string, dev: string): boolean {
  const s = t.idx.ns(ns)?.sysctls;
  const name = t.idx.iface(dev)?.name ?? '';
  if (s === undefined) return false; // not read: the rules alone judge, as before
  return s.routeLocalnet.all !== true && s.routeLocalnet.byIface[name] !== true;
}

/** A packet a socket in `ns` sends. */
export function localOut(t: Tracer, ns: string, pkt: Packet): NsOutcome {
  addHop(t, 'send', ns, {}, pkt, 'pass', `${t.dir === 'request' ? 'sent' : 'answered'} from ${nsName(t.idx, ns)}: ${pkt.proto} ${ipPort(pkt.src, pkt.sport)} → ${ipPort(pkt.dst, pkt.dport)}`);
  // A socket that has not bound routes once without a source, takes the route's, then routes with it
  // (connect() does; ping binds the source it found): `from` policy rules see the second lookup.
  const pinned = t.dir !== 'request' || t.srcPinned;
  const first = lookupRoute(t.idx, ns, pkt.dst, { src: pinned ? pkt.src : null, iif: 'lo', mark: pkt.mark });
  if (!pinned && first.kind === 'unicast' && first.route.src && familyOf(first.route.src) === pkt.family) pkt.src = first.route.src;
  if (!pinned && first.kind === 'local') pkt.src = pkt.dst;
  if (t.dir === 'request') t.origin = pkt.src;
  const lo = loopback(t, ns);
  const loDown = (): NsOutcome => {
    addHop(t, 'output', ns, { out: lo?.id ?? null }, pkt, 'drop', `the loopback (lo) is down in ${nsName(t.idx, ns)}: packets to its own addresses go nowhere`, { kind: 'setting', ns, name: 'link lo', value: 'down' });
    if (lo) t.blockers.push({ kind: 'lo-down', ns, lo });
    return { kind: 'stop' };
  };
  // Packets to the namespace's own addresses loop through lo; with lo down they go nowhere (and the
  // kernel drops 127.0.0.0/8 from the local table too, so such a packet is never routed out either).
  if (isLoopback(pkt.dst) && lo && !lo.up) return loDown();
  const sel = (): Selectors => ({ src: pkt.src, iif: 'lo', mark: pkt.mark });
  let r = route(t, ns, pkt, null, sel());
  if (r.kind !== 'local' && r.kind !== 'unicast') return { kind: 'stop' };
  if (r.kind === 'local' && lo && !lo.up) return loDown();
  const origDst = pkt.dst;
  let outId = r.kind === 'unicast' ? r.dev : (lo?.id ?? null);
  if (t.dir === 'response') undoDnat(t, ns, pkt, outId);
  const ok = runHook(t, 'output', 'output', ns, pkt, null, outId, {
    reroute: () => {
      r = route(t, ns, pkt, null, sel(), true);
      outId = r.kind === 'unicast' ? r.dev : r.kind === 'local' ? (lo?.id ?? null) : null;
      return outId;
    },
  });
  if (!ok) return { kind: 'stop' };
  if (r.kind === 'local') return deliver(t, ns, pkt, lo?.id ?? null);
  if (r.kind !== 'unicast') return { kind: 'stop' };
  if (pkt.family === 4 && (isLoopback(origDst) || isLoopback(pkt.src)) && routeLocalnetOff(t, ns, r.dev)) {
    const dev = ifName(t, r.dev) ?? r.dev;
    addHop(t, 'route', ns, { out: r.dev }, pkt, 'drop', `${origDst} was translated to ${pkt.dst}, but a packet from 127.0.0.1 may not leave by ${dev}: route_localnet is off (net.ipv4.conf.all.route_localnet=0, ${dev} too)`, {
      kind: 'setting',
      ns,
      name: 'net.ipv4.conf.all.route_localnet',
      value: '0',
    });
    t.blockers.push({ kind: 'route-localnet', ns, pkt: { ...pkt }, dev: r.dev, orig: origDst });
    return { kind: 'stop' };
  }
  return leave(t, ns, pkt, null, r.dev, r.nexthop);
}

/** A packet arriving on `inId` (already up: link-cross checked it). */
export function receive(t: Tracer, ns: string, inId: string, pkt: Packet): NsOutcome {
  if (t.dir === 'response') undoSnat(t, ns, pkt, inId);
  const inIface = t.idx.iface(inId);
  if (inIface?.kind !== 'loopback' && lookupRoute(t.idx, ns, pkt.src).kind === 'local') {
    addHop(t, 'prerouting', ns, { in: inId }, pkt, 'drop', `it arrives on ${ifName(t, inId)} from ${pkt.src}, an address of ${nsName(t.idx, ns)} itself: the kernel drops it as a martian source`);
    t.blockers.push({ kind: 'martian', ns, pkt: { ...pkt } });
    return { kind: 'stop' };
  }
  if (!runHook(t, 'prerouting', 'prerouting', ns, pkt, inId, null)) return { kind: 'stop' };
  const r = route(t, ns, pkt, inId, { src: pkt.src, iif: inIface?.name ?? null, mark: pkt.mark });
  if (r.kind !== 'local' && r.kind !== 'unicast') return { kind: 'stop' };
  if (inIface?.kind !== 'loopback' && !rpFilterCheck(t, ns, inId, pkt)) return { kind: 'stop' };
  if (r.kind === 'local') return deliver(t, ns, pkt, inId);
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
  if (!runHook(t, 'forward', 'forward', ns, pkt, inId, r.dev)) return { kind: 'stop' };
  return leave(t, ns, pkt, inId, r.dev, r.nexthop);
}
