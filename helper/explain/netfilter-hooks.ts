import type { HopDecider, HopStage } from '../../protocol/src/explain.js';
import type { FirewallHook } from '../../protocol/src/firewall.js';
import type { PacketView } from '../firewall/evaluate.js';
import { DSTNAT, SRCNAT } from '../firewall/hooks.js';
import type { BaseChain, NsFirewall } from '../firewall/ns-firewall.js';
import { walkChain, type NatAction, type WalkVerdict } from '../firewall/walk.js';
import { addrOf, familyOf } from '../net/ip-addr.js';
import { firstAddress, nsName } from './net-index.js';
import type { Packet } from './packet.js';
import { ipPort } from './packet.js';
import { lookupRoute } from './route-lookup.js';
import type { Tracer } from './tracer.js';
import { addHop, ifName } from './tracer.js';

/**
 * One netfilter hook in one namespace, every firewall source at once: the base chains of the
 * hook in priority order (x_tables' fixed priorities, iptables-nft's and native nftables' own),
 * as the kernel calls them. An accept ends only its own chain; a drop anywhere is final. The
 * NAT chains of a hook run together at the NAT core's place (dstnat −100, srcnat 100), in their
 * own priority order, and the first to translate a new connection wins. Marks set on the way
 * are carried, and an output-hook translation or mark change routes the packet again.
 */
type Station = { kind: 'chain'; chain: BaseChain } | { kind: 'nat'; chains: BaseChain[]; priority: number };

export interface HookOptions {
  bridged?: boolean;
  /** Called when a chain changed the destination or the mark (output hook): returns the new out interface, or null if the packet stops. */
  reroute?: () => string | null;
}

const SOURCE = { legacy: 'legacy', 'nft-compat': 'iptables-nft', nftables: 'nftables' } as const;

function stations(fw: NsFirewall, hook: FirewallHook, family: 4 | 6): Station[] {
  const chains = fw.baseChains(hook, family);
  const nat = chains.filter((c) => c.type === 'nat');
  const out: Station[] = chains.filter((c) => c.type !== 'nat').map((chain) => ({ kind: 'chain', chain }));
  if (nat.length > 0) out.push({ kind: 'nat', chains: nat, priority: hook === 'postrouting' || hook === 'input' ? SRCNAT : DSTNAT });
  const prio = (s: Station): number => (s.kind === 'chain' ? s.chain.priority : s.priority);
  return out.sort((a, b) => prio(a) - prio(b));
}

/** How a chain is named in a hop: `FORWARD`, `mangle FORWARD`, `nft inet filter forward`; the source when several share the hook. */
export function chainLabel(c: BaseChain, mixed: boolean): string {
  if (c.ref.backend === 'nftables') return `nft ${c.ref.family} ${c.ref.table} ${c.chain}`;
  const base = c.ref.table === 'filter' ? c.chain : `${c.ref.table} ${c.chain}`;
  return mixed ? `${base} (${SOURCE[c.ref.backend]}${c.ref.family === 'ip6' ? ', ip6tables' : ''})` : c.ref.family === 'ip6' ? `${base} (ip6tables)` : base;
}

export function deciderOf(ns: string, c: BaseChain, v: WalkVerdict): HopDecider | null {
  const src = c.ref.backend === 'legacy' && c.ref.family === 'ip' ? { backend: c.ref.backend } : { backend: c.ref.backend, family: c.ref.family };
  if (v.rule !== null) return { kind: 'rule', ns, table: v.rule.table, chain: v.rule.chain, spec: v.rule.spec, ...src, ...(v.rule.handle !== undefined ? { handle: v.rule.handle } : {}) };
  if (v.kind !== 'unknown' && v.kind !== 'nat' && v.policy !== undefined) return { kind: 'policy', ns, table: c.ref.table, chain: c.chain, policy: v.policy, ...src };
  return null;
}

function ruleWhat(c: BaseChain, v: WalkVerdict): string {
  if (v.rule === null) return c.ref.backend === 'nftables' ? `the chain's policy ${v.kind === 'unknown' ? '' : v.kind}`.trim() : `the ${c.chain} policy`;
  return v.rule.backend === 'nftables' ? `"${v.rule.spec}" (chain ${v.rule.chain})` : `-A ${v.rule.chain} ${v.rule.spec}`;
}

export function viewOf(t: Tracer, ns: string, pkt: Packet, inId: string | null, outId: string | null): PacketView {
  const mine = t.translations.filter((x) => x.ns === ns);
  return {
    family: pkt.family,
    src: pkt.src,
    dst: pkt.dst,
    proto: pkt.proto,
    sport: pkt.sport,
    dport: pkt.dport,
    ct: pkt.ct,
    in: ifName(t, inId),
    out: ifName(t, outId),
    mark: pkt.mark,
    ctmark: pkt.ctmark,
    dnat: mine.some((x) => x.kind === 'dnat'),
    snat: mine.some((x) => x.kind === 'snat'),
    isLocal: (ip) => lookupRoute(t.idx, ns, ip).kind === 'local',
  };
}

/** A namespace whose firewall could not be read completely: said once per trace, as "unknown". */
function unread(t: Tracer, stage: HopStage, ns: string, fw: NsFirewall, pkt: Packet, io: { in: string | null; out: string | null }): void {
  if (fw.unread.length === 0 || t.unreadSaid.has(ns)) return;
  t.unreadSaid.add(ns);
  addHop(t, stage, ns, io, pkt, 'unknown', `part of ${nsName(t.idx, ns)}'s firewall could not be read (${fw.unread.join('; ')}): netloom cannot say what it does to this packet`);
  t.blockers.push({ kind: 'unread', ns, why: fw.unread });
}

/** true when the packet goes on. */
export function runHook(t: Tracer, hook: FirewallHook, stage: HopStage, ns: string, pkt: Packet, inId: string | null, outId: string | null, opts: HookOptions = {}): boolean {
  const fw = t.idx.fw(ns);
  const io = { in: inId, out: outId };
  unread(t, stage, ns, fw, pkt, io);
  const all = stations(fw, hook, pkt.family);
  const mixed = new Set(all.flatMap((s) => (s.kind === 'chain' ? [s.chain] : s.chains)).filter((c) => c.ref.backend !== 'nftables').map((c) => c.ref.backend)).size > 1;
  const hopsBefore = t.hops.length;
  for (const s of all) {
    const before = { dst: pkt.dst, mark: pkt.mark };
    if (s.kind === 'nat') {
      if (!natStation(t, stage, ns, s.chains, pkt, io, mixed)) return false;
    } else if (!chainStation(t, stage, ns, s.chain, pkt, io, mixed, opts.bridged === true)) return false;
    if (opts.reroute && (before.dst !== pkt.dst || before.mark !== pkt.mark)) {
      const next = opts.reroute();
      if (next === null) return false;
      io.out = next;
    }
  }
  // The filtering hooks always show as a hop (the canvas marks where a packet is let in or through).
  if (FILTERING.has(hook) && !t.hops.slice(hopsBefore).some((h) => h.stage === stage)) {
    addHop(t, stage, ns, io, pkt, 'pass', `${hook.toUpperCase()}: no firewall rule here filters it`);
  }
  return true;
}

const FILTERING = new Set<FirewallHook>(['input', 'forward', 'output']);

function chainStation(t: Tracer, stage: HopStage, ns: string, c: BaseChain, pkt: Packet, io: { in: string | null; out: string | null }, mixed: boolean, bridged: boolean): boolean {
  const fw = t.idx.fw(ns);
  const v = walkChain(fw, c.ref, c.chain, viewOf(t, ns, pkt, io.in, io.out), c.policy);
  if (v.mark !== undefined) pkt.mark = v.mark;
  if (v.ctmark !== undefined) pkt.ctmark = v.ctmark;
  const by = deciderOf(ns, c, v);
  const where = `${chainLabel(c, mixed)}${bridged ? ' (bridged, br_netfilter)' : ''}`;
  const quiet = fw.rules(c.ref, c.chain).length === 0 && !(c.ref.backend !== 'nftables' && c.ref.table === 'filter');
  if (v.kind === 'accept') {
    if (!quiet) addHop(t, stage, ns, io, pkt, 'pass', `${where}: accepted by ${ruleWhat(c, v)}`, by);
    return true;
  }
  if (v.kind === 'unknown' || v.kind === 'nat') {
    addHop(t, stage, ns, io, pkt, 'unknown', `${where}: ${v.kind === 'unknown' ? v.why : 'a translation in a filter chain'}`, by);
    return true;
  }
  addHop(t, stage, ns, io, pkt, 'drop', `${where}: ${v.kind === 'reject' ? 'rejected' : 'dropped'} by ${ruleWhat(c, v)}`, by);
  t.blockers.push({ kind: 'filter', ns, hook: stage, station: c, verdict: v, pkt: { ...pkt }, in: io.in, out: io.out, bridged });
  return false;
}

/**
 * nat chains see only a connection's first packet: replies are conntrack's business. And only the
 * first time conntrack meets the connection in a namespace: a request that passes the same
 * namespace twice (bridged between two of its ports with br_netfilter, then routed) keeps the
 * translation decided at the first pass — none, typically, so a MASQUERADE on the way out is skipped.
 */
function natStation(t: Tracer, stage: HopStage, ns: string, chains: BaseChain[], pkt: Packet, io: { in: string | null; out: string | null }, mixed: boolean): boolean {
  if (t.dir !== 'request') return true;
  const fw = t.idx.fw(ns);
  const manip = stage === 'prerouting' || stage === 'output' ? 'dst' : 'src';
  const done = t.natDone.get(ns) ?? new Set<'dst' | 'src'>();
  t.natDone.set(ns, done);
  if (done.has(manip)) {
    const would = chains.map((c) => walkChain(fw, c.ref, c.chain, viewOf(t, ns, pkt, io.in, io.out), c.policy)).find((v) => v.kind === 'nat');
    if (would !== undefined && would.kind === 'nat') {
      // Not a drop: the packet goes on untranslated, and the trace shows where that leads.
      addHop(t, stage, ns, io, pkt, 'pass', `nat: conntrack met this connection in ${nsName(t.idx, ns)} before (bridged, br_netfilter) and decided its ${manip === 'src' ? 'source' : 'destination'} NAT then: ${ruleWhatNat(would.rule.spec)} is not applied to this pass`, deciderOf(ns, chains[0]!, would));
      t.blockers.push({ kind: 'nat-skipped', ns, pkt: { ...pkt }, manip, rule: would.rule });
    }
    return true;
  }
  done.add(manip);
  for (const c of chains) {
    const v = walkChain(fw, c.ref, c.chain, viewOf(t, ns, pkt, io.in, io.out), c.policy);
    if (v.mark !== undefined) pkt.mark = v.mark;
    const by = deciderOf(ns, c, v);
    const where = `nat ${chainLabel(c, mixed).replace(/^nat /, '')}`;
    if (v.kind === 'unknown') {
      addHop(t, stage, ns, io, pkt, 'unknown', `${where}: ${v.why}`, by);
      return true;
    }
    if (v.kind === 'drop' || v.kind === 'reject') {
      addHop(t, stage, ns, io, pkt, 'drop', `${where}: dropped by ${ruleWhat(c, v)}`, by);
      t.blockers.push({ kind: 'filter', ns, hook: stage, station: c, verdict: v, pkt: { ...pkt }, in: io.in, out: io.out, bridged: false });
      return false;
    }
    if (v.kind === 'nat') {
      translate(t, stage, ns, pkt, io, v.action, where, by);
      return true;
    }
  }
  return true;
}

const ruleWhatNat = (spec: string): string => `"${spec}"`;

function translate(t: Tracer, stage: HopStage, ns: string, pkt: Packet, io: { in: string | null; out: string | null }, a: NatAction, where: string, by: HopDecider | null): void {
  if (a.kind === 'dnat' || a.kind === 'redirect') {
    const before = { ip: pkt.dst, port: pkt.dport };
    const ip = a.kind === 'dnat' ? (a.to.ip ?? pkt.dst) : redirectAddress(t, io.in, pkt);
    const port = a.kind === 'dnat' ? dnatPort(a.to, pkt.dport) : (a.port ?? pkt.dport);
    t.translations.push({ ns, kind: 'dnat', orig: before, now: { ip, port }, by });
    pkt.dst = ip;
    pkt.dport = port;
    addHop(t, stage, ns, io, pkt, 'pass', `${where}: ${a.kind === 'dnat' ? 'DNAT' : 'REDIRECT'} ${ipPort(before.ip, before.port)} → ${ipPort(ip, port)}`, by);
    return;
  }
  const orig = { ip: pkt.src, port: pkt.sport };
  const ip = a.kind === 'snat' ? a.to.ip : masqueradeAddress(t, ns, io.out, pkt);
  if (ip === null) {
    addHop(t, stage, ns, io, pkt, 'unknown', `${where}: MASQUERADE, but ${ifName(t, io.out)} has no IPv${pkt.family} address to use`, by);
    return;
  }
  t.translations.push({ ns, kind: 'snat', orig, now: { ip, port: pkt.sport }, by });
  pkt.src = ip;
  addHop(t, stage, ns, io, pkt, 'pass', `${where}: ${a.kind === 'snat' ? 'SNAT' : 'MASQUERADE'} source ${orig.ip} → ${ip}`, by);
}

/** `IP:9000-9010/8000`: host port P goes to 9000 + (P - 8000); otherwise the range's first port, or the packet's. */
function dnatPort(to: { port: number | null; base?: number }, dport: number | null): number | null {
  if (to.base !== undefined && to.port !== null && dport !== null) return to.port + (dport - to.base);
  return to.port ?? dport;
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
function redirectAddress(t: Tracer, inId: string | null, pkt: Packet): string {
  const i = inId === null ? undefined : t.idx.iface(inId);
  const a = i ? firstAddress(i, pkt.family) : null;
  return a === null ? (pkt.family === 4 ? '127.0.0.1' : '::1') : addrOf(a);
}
