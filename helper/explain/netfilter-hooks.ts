import type { HopStage } from '../../protocol/src/explain.js';
import { deciderOf, walkChain } from './chain-walk.js';
import type { MatchContext, Packet } from './packet.js';
import { ipPort } from './packet.js';
import { lookupRoute } from './route-lookup.js';
import { addrOf, familyOf } from '../net/ip-addr.js';
import type { Tracer } from './tracer.js';
import { addHop, ifName } from './tracer.js';
import { firstAddress } from './net-index.js';

/**
 * One netfilter hook in one namespace: the filter chain's verdict, or the nat chain's
 * translation (nat sees only a connection's first packet: replies are conntrack's business).
 */
function contextOf(t: Tracer, ns: string, pkt: Packet, inId: string | null, outId: string | null): MatchContext {
  const mine = t.translations.filter((x) => x.ns === ns);
  return {
    pkt,
    in: ifName(t, inId),
    out: ifName(t, outId),
    isLocal: (ip) => lookupRoute(t.idx, ns, ip).kind === 'local',
    dnat: mine.some((x) => x.kind === 'dnat'),
    snat: mine.some((x) => x.kind === 'snat'),
  };
}

/** filter INPUT/FORWARD/OUTPUT: true when the packet goes on. */
export function filterHook(t: Tracer, stage: HopStage, ns: string, chain: string, pkt: Packet, inId: string | null, outId: string | null, bridged = false): boolean {
  const io = { in: inId, out: outId };
  if (pkt.family === 6) {
    addHop(t, stage, ns, io, pkt, 'unknown', `${chain}: netloom reads iptables (IPv4) only, not ip6tables`);
    return true;
  }
  const v = walkChain(t.idx, ns, 'filter', chain, contextOf(t, ns, pkt, inId, outId));
  const by = deciderOf(ns, 'filter', chain, v);
  const what = v.rule !== null ? `-A ${v.rule.chain} ${v.rule.spec}` : `the ${chain} policy`;
  const where = `${chain}${bridged ? ' (bridged, br_netfilter)' : ''}`;
  if (v.kind === 'accept' || v.kind === 'nat') {
    addHop(t, stage, ns, io, pkt, 'pass', `${where}: accepted by ${what}`, by);
    return true;
  }
  if (v.kind === 'unknown') {
    addHop(t, stage, ns, io, pkt, 'unknown', `${where}: ${v.why}`, by);
    return true;
  }
  addHop(t, stage, ns, io, pkt, 'drop', `${where}: ${v.kind === 'reject' ? 'rejected' : 'dropped'} by ${what}`, by);
  t.blockers.push({ kind: 'filter', ns, chain, verdict: v, pkt: { ...pkt }, in: inId, out: outId, bridged });
  return false;
}

/**
 * raw PREROUTING/OUTPUT, only where a raw table exists (Docker ≥ 28 drops packets aimed
 * straight at a container's address from outside its bridge there).
 */
export function rawHook(t: Tracer, stage: HopStage, ns: string, chain: string, pkt: Packet, inId: string | null): boolean {
  if (pkt.family === 6 || !t.idx.hasTable(ns, 'raw') || t.idx.rules(ns, 'raw', chain).length === 0) return true;
  const v = walkChain(t.idx, ns, 'raw', chain, contextOf(t, ns, pkt, inId, null));
  if (v.kind !== 'drop' && v.kind !== 'reject') {
    if (v.kind === 'unknown') addHop(t, stage, ns, { in: inId }, pkt, 'unknown', `raw ${chain}: ${v.why}`, deciderOf(ns, 'raw', chain, v));
    return true;
  }
  addHop(t, stage, ns, { in: inId }, pkt, 'drop', `raw ${chain}: dropped by ${v.rule !== null ? `-A ${v.rule.chain} ${v.rule.spec}` : `the ${chain} policy`}`, deciderOf(ns, 'raw', chain, v));
  t.blockers.push({ kind: 'filter', ns, chain, verdict: v, pkt: { ...pkt }, in: inId, out: null, bridged: false });
  return false;
}

/** nat PREROUTING/OUTPUT (DNAT) or POSTROUTING (SNAT/MASQUERADE), on a request's first packet: rewrites `pkt`. */
export function natHook(t: Tracer, stage: HopStage, ns: string, chain: string, pkt: Packet, inId: string | null, outId: string | null): void {
  if (t.dir !== 'request' || pkt.family === 6) return;
  const v = walkChain(t.idx, ns, 'nat', chain, contextOf(t, ns, pkt, inId, outId));
  const io = { in: inId, out: outId };
  const by = deciderOf(ns, 'nat', chain, v);
  if (v.kind === 'unknown') {
    addHop(t, stage, ns, io, pkt, 'unknown', `nat ${chain}: ${v.why}`, by);
    return;
  }
  if (v.kind !== 'nat') return;
  const a = v.action;
  const before = { ip: pkt.dst, port: pkt.dport };
  if (a.kind === 'dnat' || a.kind === 'redirect') {
    const ip = a.kind === 'dnat' ? a.ip : redirectAddress(t, ns, inId, pkt);
    const shifted = a.kind === 'dnat' && a.base !== undefined && a.port !== null && pkt.dport !== null ? a.port + (pkt.dport - a.base) : null;
    const port = shifted ?? a.port ?? pkt.dport;
    t.translations.push({ ns, kind: 'dnat', orig: before, now: { ip, port }, by });
    pkt.dst = ip;
    pkt.dport = port;
    addHop(t, stage, ns, io, pkt, 'pass', `nat ${chain}: ${a.kind === 'dnat' ? 'DNAT' : 'REDIRECT'} ${ipPort(before.ip, before.port)} → ${ipPort(ip, port)}`, by);
    return;
  }
  const orig = { ip: pkt.src, port: pkt.sport };
  const ip = a.kind === 'snat' ? a.ip : masqueradeAddress(t, ns, outId, pkt);
  if (ip === null) {
    addHop(t, stage, ns, io, pkt, 'unknown', `nat ${chain}: MASQUERADE, but ${ifName(t, outId)} has no IPv4 address to use`, by);
    return;
  }
  t.translations.push({ ns, kind: 'snat', orig, now: { ip, port: pkt.sport }, by });
  pkt.src = ip;
  addHop(t, stage, ns, io, pkt, 'pass', `nat ${chain}: ${a.kind === 'snat' ? 'SNAT' : 'MASQUERADE'} source ${orig.ip} → ${ip}`, by);
}

/** MASQUERADE takes the address the route out of `outId` prefers, else the interface's first. */
function masqueradeAddress(t: Tracer, ns: string, outId: string | null, pkt: Packet): string | null {
  const r = lookupRoute(t.idx, ns, pkt.dst);
  if (r.kind === 'unicast' && r.route.src && familyOf(r.route.src) === pkt.family) return r.route.src;
  const i = outId === null ? undefined : t.idx.iface(outId);
  const a = i ? firstAddress(i, pkt.family) : null;
  return a === null ? null : addrOf(a);
}

/** REDIRECT sends to the incoming interface's first address (127.0.0.1 for the namespace's own packets). */
function redirectAddress(t: Tracer, _ns: string, inId: string | null, pkt: Packet): string {
  const i = inId === null ? undefined : t.idx.iface(inId);
  const a = i ? firstAddress(i, pkt.family) : null;
  return a === null ? (pkt.family === 4 ? '127.0.0.1' : '::1') : addrOf(a);
}
