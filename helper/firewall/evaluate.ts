import { cidrHolds, familyOf, ipToBig } from '../net/ip-addr.js';
import type { Element, Key, Match } from './rule-form.js';

/**
 * Does a match hold for a packet? Every key netloom can read gives yes or no; a key it cannot
 * know here (a mark someone else set, a port the kernel picks) gives "unknown" with the reason,
 * so a trace says "unknown" rather than guess.
 */
export type Tri = 'yes' | 'no' | 'unknown';

/** The packet as one hook sees it, with what a rule can test besides its headers. */
export interface PacketView {
  family: 4 | 6;
  src: string;
  dst: string;
  proto: 'icmp' | 'tcp' | 'udp';
  /** null: an ephemeral port the kernel picks. */
  sport: number | null;
  dport: number | null;
  /** conntrack's view: the request opens a connection, the response belongs to it. */
  ct: 'NEW' | 'ESTABLISHED';
  /** Interface names; null when there is none at this hook (no input for a locally sent packet). */
  in: string | null;
  out: string | null;
  /** null: set somewhere netloom cannot follow. */
  mark: number | null;
  ctmark: number | null;
  /** Whether conntrack translated this connection's destination / source. */
  dnat: boolean;
  snat: boolean;
  /** Address type as the namespace's routing sees it. */
  isLocal(ip: string): boolean;
  /** Why some keys are unknown (e.g. connection tracking changed by NOTRACK). */
  taint?: string;
}

export interface MatchResult {
  result: Tri;
  why?: string;
}

type Value = { kind: 'ip' | 'num' | 'name' | 'word'; text: string } | { kind: 'words'; list: string[] } | null;

const ICMP_WORD = (p: PacketView): string => (p.ct === 'NEW' ? 'echo-request' : 'echo-reply');

function keyValue(key: Key, p: PacketView): Value | { unknown: string } {
  switch (key) {
    case 'saddr':
      return { kind: 'ip', text: p.src };
    case 'daddr':
      return { kind: 'ip', text: p.dst };
    case 'sport':
      if (p.proto === 'icmp') return null;
      return p.sport === null ? { unknown: 'the source port (the kernel picks it)' } : { kind: 'num', text: String(p.sport) };
    case 'dport':
      if (p.proto === 'icmp') return null;
      return p.dport === null ? { unknown: 'the destination port' } : { kind: 'num', text: String(p.dport) };
    case 'l4proto':
      return { kind: 'word', text: p.proto === 'icmp' && p.family === 6 ? 'icmpv6' : p.proto };
    case 'nfproto':
      return { kind: 'word', text: String(p.family) };
    case 'iifname':
      return { kind: 'name', text: p.in ?? '' };
    case 'oifname':
      return { kind: 'name', text: p.out ?? '' };
    case 'mark':
      return p.mark === null ? { unknown: `the packet mark${p.taint ? ` (${p.taint})` : ' (set by a rule netloom cannot follow)'}` } : { kind: 'num', text: String(p.mark) };
    case 'ctmark':
      return p.ctmark === null ? { unknown: 'the connection mark' } : { kind: 'num', text: String(p.ctmark) };
    case 'ctstate':
      if (p.taint) return { unknown: p.taint };
      return { kind: 'word', text: p.ct === 'NEW' ? 'new' : 'established' };
    case 'ctstatus':
      return { kind: 'words', list: [...(p.dnat ? ['dnat'] : []), ...(p.snat ? ['snat'] : []), ...(p.ct === 'ESTABLISHED' ? ['confirmed', 'seen-reply'] : [])] };
    case 'ctdirection':
      return { kind: 'word', text: p.ct === 'NEW' ? 'original' : 'reply' };
    case 'daddrtype':
      return { kind: 'word', text: p.isLocal(p.dst) ? 'local' : 'unicast' };
    case 'saddrtype':
      return { kind: 'word', text: p.isLocal(p.src) ? 'local' : 'unicast' };
    case 'icmptype':
      return p.proto === 'icmp' ? { kind: 'word', text: ICMP_WORD(p) } : null;
    case 'tcpsyn':
      return { kind: 'word', text: p.proto === 'tcp' && p.ct === 'NEW' ? 'true' : 'false' };
    case 'fragment':
      return { kind: 'word', text: 'false' };
    case 'pkttype':
      return { kind: 'word', text: 'host' };
  }
}

const num = (s: string): number | null => (/^(0x[0-9a-f]+|\d+)$/i.test(s) ? Number(s) : null);

function inRange(v: Value, from: string, to: string): boolean {
  if (v === null || v.kind === 'words') return false;
  if (v.kind === 'ip') {
    const x = ipToBig(v.text);
    const a = ipToBig(from);
    const b = ipToBig(to);
    return x !== null && a !== null && b !== null && familyOf(from) === familyOf(v.text) && x >= a && x <= b;
  }
  const x = num(v.text);
  const a = num(from);
  const b = num(to);
  return x !== null && a !== null && b !== null && x >= a && x <= b;
}

function elementHolds(e: Element, v: Value): boolean {
  if (v === null) return false;
  if (v.kind === 'words') return e.kind === 'value' && v.list.includes(e.value.toLowerCase());
  switch (e.kind) {
    case 'prefix':
      return v.kind === 'ip' && cidrHolds(e.value, v.text);
    case 'range':
      return inRange(v, e.from, e.to);
    case 'wildcard':
      return v.text.startsWith(e.prefix);
    case 'value':
      if (v.kind === 'ip') return cidrHolds(e.value, v.text);
      if (v.kind === 'num') return num(e.value) === num(v.text);
      return v.kind === 'name' ? e.value === v.text : e.value.toLowerCase() === v.text.toLowerCase();
    case 'tuple':
      return false;
  }
}

function cmp(m: Extract<Match, { kind: 'cmp' }>, p: PacketView): MatchResult {
  const values: Value[] = [];
  for (const k of m.keys) {
    const v = keyValue(k, p);
    if (v !== null && 'unknown' in v) return { result: 'unknown', why: `${m.text}: netloom cannot know ${v.unknown}` };
    values.push(v && m.mask !== undefined && v.kind === 'num' ? { ...v, text: String((Number(v.text) & m.mask) >>> 0) } : v);
  }
  const holds = m.elements.some((e) => {
    if (values.length === 1) return elementHolds(e, values[0] ?? null);
    return e.kind === 'tuple' && e.parts.length === values.length && e.parts.every((part, i) => elementHolds(part, values[i] ?? null));
  });
  return { result: holds !== m.negated ? 'yes' : 'no' };
}

export function evalMatch(m: Match, p: PacketView): MatchResult {
  if (m.kind === 'unknown') return { result: 'unknown', why: `netloom cannot evaluate "${m.text}"` };
  if (m.kind === 'cmp') return cmp(m, p);
  let why: string | undefined;
  for (const sub of m.of) {
    const r = evalMatch(sub, p);
    if (r.result === 'yes') return r;
    if (r.result === 'unknown') why ??= r.why;
  }
  return why !== undefined ? { result: 'unknown', why } : { result: 'no' };
}

/** All of a rule's matches: the first "no" decides; else the first "unknown"; else yes. */
export function evalMatches(ms: Match[], p: PacketView): MatchResult {
  let unknown: MatchResult | null = null;
  for (const m of ms) {
    const r = evalMatch(m, p);
    if (r.result === 'no') return r;
    if (r.result === 'unknown') unknown ??= r;
  }
  return unknown ?? { result: 'yes' };
}

/** The first vmap element the packet's keys equal, or null; `unknown` when a key cannot be read. */
export function vmapPick<T extends { element: Element }>(keys: Key[], entries: T[], p: PacketView): T | null | { unknown: string } {
  const m = { kind: 'cmp' as const, keys, negated: false, text: 'vmap' };
  for (const entry of entries) {
    const r = cmp({ ...m, elements: [entry.element] }, p);
    if (r.result === 'unknown') return { unknown: r.why ?? 'a vmap key' };
    if (r.result === 'yes') return entry;
  }
  return null;
}
