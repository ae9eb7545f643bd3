import type { FirewallSet } from '../../protocol/src/firewall.js';
import type { Chain, Interface, Namespace, PortMapping, Route, Rule } from '../../protocol/src/snapshot.js';
import { evalMatches } from '../firewall/evaluate.js';
import type { PacketView } from '../firewall/evaluate.js';
import { nsFirewall, type BaseChain, type NsFirewall, type TableRef } from '../firewall/ns-firewall.js';
import type { Element, Match, NatTo, Verdict } from '../firewall/rule-form.js';
import { hostOf } from './ipv4-match.js';
import { findTargetInterface } from './target-interface.js';

/**
 * Port mappings (DESIGN §3) from the DNATs of every firewall source — iptables (legacy and
 * iptables-nft) and native nftables (Docker 29's docker-bridges, netavark, firewalld's
 * forward-ports…): every destination-NAT base chain at prerouting (traffic from elsewhere) and
 * output (the host itself), and every chain reachable from them by jump, goto or verdict map.
 *
 * - One mapping per (ns, proto, hostIp, port range, target); the chains it was found through are
 *   unioned, entry chains first — Docker's `-p 18080:80` gives ["PREROUTING", "OUTPUT", "DOCKER"].
 * - The conditions of every rule on the way hold for the DNAT too (netavark's `-p tcp --dport 8081
 *   -j NETAVARK-DN-…`, a vmap's key): protocol, ports and host address are read from all of them.
 * - localAccess: reached from an output-hook chain by a path whose conditions can hold for a
 *   packet the host sends to the mapping's address (no `-i IFACE`, no `! -d 127.0.0.0/8` for a
 *   127.0.0.1 mapping).
 * - A DNAT without a destination port (the whole address) is not a port mapping: skipped.
 * - Shadowing (`-i docker0 -j RETURN` before the DNAT) is not evaluated: every DNAT a path leads to counts.
 */
const MAX_DEPTH = 16;

interface Found {
  rule: Rule;
  to: NatTo;
  conds: Match[];
  path: string[];
  entry: BaseChain;
  redirect?: boolean;
}

export interface MappingSource {
  namespaces: Namespace[];
  interfaces: Interface[];
  rules: Rule[];
  routes: Route[];
  chains?: Chain[];
  sets?: FirewallSet[];
}

export function derivePortMappings(s: MappingSource): PortMapping[] {
  const nsOrder = [...s.namespaces.map((n) => n.id), ...s.rules.map((r) => r.ns)];
  const out: PortMapping[] = [];
  const view = { namespaces: s.namespaces, rules: s.rules, ...(s.chains ? { chains: s.chains } : {}), ...(s.sets ? { sets: s.sets } : {}) };
  for (const ns of new Set(nsOrder)) {
    if (!s.rules.some((r) => r.ns === ns && (r.table === 'nat' || r.backend === 'nftables'))) continue;
    out.push(...mappingsOf(nsFirewall(view, ns), s.interfaces, s.routes));
  }
  return out;
}

function entries(fw: NsFirewall): BaseChain[] {
  const seen = new Set<string>();
  const out: BaseChain[] = [];
  for (const hook of ['prerouting', 'output'] as const) {
    for (const fam of [4, 6] as const) {
      for (const b of fw.baseChains(hook, fam)) {
        const key = `${b.ref.backend}|${b.ref.family}|${b.ref.table}|${b.chain}`;
        if (b.type === 'nat' && !seen.has(key)) {
          seen.add(key);
          out.push(b);
        }
      }
    }
  }
  return out;
}

function mappingsOf(fw: NsFirewall, interfaces: Interface[], routes: Route[]): PortMapping[] {
  const found: Found[] = [];
  for (const entry of entries(fw)) walk(fw, entry, entry.ref, [entry.chain], [], found);
  const merged = new Map<string, { mapping: PortMapping; chains: string[] }>();
  for (const f of found) {
    const read = readConds(f.conds);
    if (read === null) continue;
    const hostDefault = f.entry.ref.family === 'ip6' ? '::' : '0.0.0.0';
    for (const target of read.targets) {
      const hostIp = target.hostIp ?? hostDefault;
      const local = f.entry.hook === 'output' && canMatchLocal(f.conds, read.proto, hostIp, target.port.start);
      const targetIp = f.redirect ? hostIp : f.to.ip;
      if (targetIp === null) continue;
      const key = [read.proto, hostIp, target.port.start, target.port.end ?? '', targetIp, f.to.port ?? ''].join('|');
      const seen = merged.get(key);
      if (seen !== undefined) {
        seen.mapping.localAccess ||= local;
        seen.chains.push(...f.path);
        continue;
      }
      const mapping: PortMapping = {
        ns: fw.ns,
        proto: read.proto,
        hostIp,
        hostPort: target.port.start,
        ...(target.port.end !== undefined ? { hostPortEnd: target.port.end } : {}),
        targetIp,
        targetPort: f.to.port ?? target.port.start,
        targetInterface: f.redirect ? null : findTargetInterface(targetIp, fw.ns, interfaces, routes),
        ...(f.redirect ? { redirect: true } : {}),
        chains: [],
        localAccess: local,
        owner: f.rule.owner,
        ...(f.rule.netloomId ? { netloomId: f.rule.netloomId } : {}),
        ...(f.rule.backend !== undefined ? { backend: f.rule.backend, table: f.rule.backend === 'nftables' ? `${f.rule.family ?? 'ip'} ${f.rule.table}` : f.rule.table } : {}),
      };
      merged.set(key, { mapping, chains: [...f.path] });
    }
  }
  const entryNames = new Set(found.map((f) => f.path[0] ?? ''));
  return [...merged.values()].map(({ mapping, chains }) => ({ ...mapping, chains: orderChains(chains, entryNames) }));
}

/** Depth-first over jumps, gotos and verdict maps from `path`'s last chain, collecting every DNAT met. */
function walk(fw: NsFirewall, entry: BaseChain, ref: TableRef, path: string[], conds: Match[], found: Found[]): void {
  const chain = path[path.length - 1] ?? '';
  if (path.length > MAX_DEPTH) return;
  for (const rule of fw.rules(ref, chain)) {
    const form = fw.form(rule);
    visit(fw, entry, ref, path, [...conds, ...form.matches], form.verdict, rule, found);
  }
}

function visit(fw: NsFirewall, entry: BaseChain, ref: TableRef, path: string[], conds: Match[], v: Verdict | null, rule: Rule, found: Found[]): void {
  if (v === null) return;
  if (v.kind === 'dnat') found.push({ rule, to: v.to, conds, path, entry });
  // REDIRECT (firewalld's forward-port without toaddr): to a port of the host itself.
  else if (v.kind === 'redirect') found.push({ rule, to: { ip: null, port: v.port }, conds, path, entry, redirect: true });
  else if ((v.kind === 'jump' || v.kind === 'goto') && fw.hasChain(ref, v.chain) && !path.includes(v.chain)) walk(fw, entry, ref, [...path, v.chain], conds, found);
  else if (v.kind === 'vmap') {
    for (const e of v.entries) {
      const cond: Match[] = v.keys === null || e.element === null ? [] : [{ kind: 'cmp', keys: v.keys, negated: false, elements: [e.element], text: v.text }];
      visit(fw, entry, ref, path, [...conds, ...cond], e.verdict, rule, found);
    }
  }
}

interface PortSpan {
  start: number;
  end?: number;
}

type Candidate = { proto: string; hostIp: string | null; port: PortSpan };
const ADDRESS_KEYS = new Set(['daddr', 'dport', 'l4proto', 'nfproto']);

/**
 * Protocol, and each (host address, host port range) the conditions name, checked against every
 * condition on the path: a jump for `tcp dport 8081` into a chain whose DNATs are for 8080 and
 * 8081 leads to the 8081 one only. Null: not a port mapping.
 */
function readConds(conds: Match[]): { proto: PortMapping['proto']; targets: { hostIp: string | null; port: PortSpan }[] } | null {
  const protos = new Set<string>();
  const ports: PortSpan[] = [];
  const hosts = new Set<string | null>();
  let hostRequired = false;
  for (const m of conds) {
    if (m.kind !== 'cmp' || m.negated) continue;
    for (const e of m.elements) {
      const parts = m.keys.length === 1 ? [e] : e.kind === 'tuple' ? e.parts : [];
      m.keys.forEach((k, i) => {
        const part = parts[i];
        if (part === undefined) return;
        if (k === 'l4proto' && part.kind === 'value') protos.add(part.value);
        if (k === 'dport') ports.push(...span(part));
        if (k === 'daddr') {
          const h = addrText(part);
          if (h !== null) hosts.add(h);
          hostRequired = true;
        }
      });
    }
  }
  const proto = [...protos].find((p): p is PortMapping['proto'] => p === 'tcp' || p === 'udp' || p === 'sctp');
  if (proto === undefined || ports.length === 0) return null;
  if (!hostRequired) hosts.add(null);
  const relevant = conds.filter((m) => m.kind === 'cmp' && m.keys.every((k) => ADDRESS_KEYS.has(k)));
  const seen = new Set<string>();
  const targets: Candidate[] = [];
  for (const hostIp of hosts) {
    for (const port of ports) {
      const c = { proto, hostIp, port };
      const key = JSON.stringify(c);
      if (seen.has(key) || !holds(relevant, c)) continue;
      seen.add(key);
      targets.push(c);
    }
  }
  return targets.length > 0 ? { proto, targets } : null;
}

/** Every address/port condition holds for the candidate, at both ends of its port range. */
function holds(conds: Match[], c: Candidate): boolean {
  const usable = c.hostIp === null || c.hostIp.includes('/') ? conds.filter((m) => m.kind === 'cmp' && !m.keys.includes('daddr')) : conds;
  const family = c.hostIp?.includes(':') ? 6 : 4;
  return [c.port.start, c.port.end ?? c.port.start].every((dport) => {
    const p: PacketView = { family, src: family === 4 ? '0.0.0.0' : '::', dst: c.hostIp ?? '', proto: c.proto as 'tcp', sport: null, dport, ct: 'NEW', in: null, out: null, mark: 0, ctmark: 0, dnat: false, snat: false, isLocal: () => true };
    return evalMatches(usable, p).result !== 'no';
  });
}

function span(e: Element): PortSpan[] {
  if (e.kind === 'value') return /^\d+$/.test(e.value) && Number(e.value) <= 65535 ? [{ start: Number(e.value) }] : [];
  if (e.kind === 'range') {
    const [a, b] = [Number(e.from), Number(e.to)];
    return Number.isInteger(a) && Number.isInteger(b) && b >= a && b <= 65535 ? [a === b ? { start: a } : { start: a, end: b }] : [];
  }
  return [];
}

function addrText(e: Element): string | null {
  if (e.kind === 'prefix' || e.kind === 'value') return e.value.endsWith('/128') ? e.value.slice(0, -4) : hostOf(e.value);
  return null;
}

/** Whether every condition on an output-hook path can hold for a packet the host sends to `hostIp`. */
function canMatchLocal(conds: Match[], proto: PortMapping['proto'], hostIp: string, port: number): boolean {
  if (proto === 'sctp') return true;
  const family = hostIp.includes(':') ? 6 : 4;
  const any = hostIp === '0.0.0.0' || hostIp === '::' || hostIp.includes('/');
  const p: PacketView = {
    family,
    src: any ? (family === 4 ? '127.0.0.1' : '::1') : hostIp,
    dst: any ? (family === 4 ? '127.0.0.1' : '::1') : hostIp,
    proto,
    sport: null,
    dport: port,
    ct: 'NEW',
    in: null,
    out: null,
    mark: 0,
    ctmark: 0,
    dnat: false,
    snat: false,
    isLocal: () => true,
  };
  // Only the conditions that test where a packet comes from or goes to the host's own address matter here.
  const relevant = conds.filter((m) => m.kind === 'cmp' && (m.keys.includes('iifname') || (m.keys.length === 1 && m.keys[0] === 'daddr' && !any)));
  return evalMatches(relevant, p).result !== 'no';
}

function orderChains(chains: string[], entryNames: Set<string>): string[] {
  const unique = [...new Set(chains)];
  const order = ['PREROUTING', 'OUTPUT'];
  const entries = unique.filter((c) => entryNames.has(c)).sort((a, b) => (order.indexOf(a) + 1 || 9) - (order.indexOf(b) + 1 || 9));
  return [...entries, ...unique.filter((c) => !entryNames.has(c))];
}
