import type { JsonValue } from '../../protocol/src/firewall.js';
import type { Effect, Element, Key, Match, NatTo, RuleForm, Verdict } from './rule-form.js';
import { field, kindOf, statementText, str } from './nft-text.js';

/**
 * A native nftables rule (libnftables JSON) → the one rule form. nft leaves a payload match's
 * protocol dependency implicit (`tcp dport 80` also means `meta l4proto tcp`, `ip daddr X` in an
 * inet table also means IPv4): those come back here as matches of their own. Anything this file
 * does not know (a rate limit, a raw payload offset, a socket match, a map-driven NAT) becomes an
 * `unknown` match or verdict that names the statement.
 */

/** A set or map of the rule's table, by name (without `@`). */
export type SetLookup = (name: string) => { elem: JsonValue[]; isMap: boolean } | undefined;

interface KeyRead {
  keys: Key[];
  implied: Match[];
  mask?: number;
}

const PROTO_NAMES: Record<string, string> = { '1': 'icmp', '6': 'tcp', '17': 'udp', '58': 'icmpv6', '132': 'sctp', 'ipv6-icmp': 'icmpv6' };
const L4 = new Set(['tcp', 'udp', 'sctp', 'dccp', 'udplite']);

const implied = (key: Key, v: string, text: string): Match => ({ kind: 'cmp', keys: [key], negated: false, elements: [{ kind: 'value', value: v }], text });

function payloadKey(b: JsonValue): KeyRead | null {
  const proto = str(field(b, 'protocol'));
  const f = str(field(b, 'field'));
  const text = `${proto} ${f}`;
  if ((proto === 'ip' || proto === 'ip6') && (f === 'saddr' || f === 'daddr')) return { keys: [f], implied: [implied('nfproto', proto === 'ip' ? '4' : '6', text)] };
  if ((proto === 'ip' && f === 'protocol') || (proto === 'ip6' && f === 'nexthdr')) return { keys: ['l4proto'], implied: [implied('nfproto', proto === 'ip' ? '4' : '6', text)] };
  if ((L4.has(proto) || proto === 'th') && (f === 'sport' || f === 'dport')) return { keys: [f], implied: L4.has(proto) ? [implied('l4proto', proto, text)] : [] };
  if ((proto === 'icmp' || proto === 'icmpv6') && f === 'type') return { keys: ['icmptype'], implied: [implied('l4proto', proto, text)] };
  return null;
}

function keyRead(e: JsonValue): KeyRead | null {
  const k = kindOf(e);
  if (k === null) return null;
  const b = k.body;
  switch (k.kind) {
    case 'payload':
      return payloadKey(b);
    case 'meta': {
      const key = str(field(b, 'key'));
      const map: Record<string, Key> = { l4proto: 'l4proto', nfproto: 'nfproto', protocol: 'nfproto', iifname: 'iifname', oifname: 'oifname', iif: 'iifname', oif: 'oifname', mark: 'mark', pkttype: 'pkttype' };
      const m = map[key];
      return m === undefined ? null : { keys: [m], implied: [] };
    }
    case 'ct': {
      if (field(b, 'dir') !== undefined) return null;
      const map: Record<string, Key> = { state: 'ctstate', status: 'ctstatus', direction: 'ctdirection', mark: 'ctmark' };
      const m = map[str(field(b, 'key'))];
      return m === undefined ? null : { keys: [m], implied: [] };
    }
    case 'fib': {
      const flags = field(b, 'flags');
      const list = (Array.isArray(flags) ? flags : [flags ?? null]).map(str);
      if (str(field(b, 'result')) !== 'type' || list.length !== 1) return null;
      return list[0] === 'daddr' ? { keys: ['daddrtype'], implied: [] } : list[0] === 'saddr' ? { keys: ['saddrtype'], implied: [] } : null;
    }
    case 'concat': {
      if (!Array.isArray(b)) return null;
      const parts = b.map(keyRead);
      if (parts.some((p) => p === null || p.keys.length !== 1 || p.mask !== undefined)) return null;
      return { keys: parts.map((p) => p!.keys[0]!), implied: parts.flatMap((p) => p!.implied) };
    }
    case '&': {
      if (!Array.isArray(b) || b.length !== 2 || typeof b[1] !== 'number') return null;
      const inner = keyRead(b[0] ?? null);
      if (inner === null || inner.keys.length !== 1 || (inner.keys[0] !== 'mark' && inner.keys[0] !== 'ctmark')) return null;
      return { ...inner, mask: b[1] >>> 0 };
    }
  }
  return null;
}

function literal(key: Key | undefined, v: string | number | boolean): Element {
  let s = String(v);
  if (key === 'l4proto') s = PROTO_NAMES[s] ?? s;
  if (key === 'nfproto') s = s === 'ipv4' || s === 'ip' ? '4' : s === 'ipv6' || s === 'ip6' ? '6' : s;
  if ((key === 'iifname' || key === 'oifname') && typeof v === 'string' && v.endsWith('*') && !v.endsWith('\\*')) return { kind: 'wildcard', prefix: v.slice(0, -1) };
  if ((key === 'saddr' || key === 'daddr') && typeof v === 'string') return { kind: 'prefix', value: `${v}/${v.includes(':') ? 128 : 32}` };
  return { kind: 'value', value: s.replace(/\\\*$/, '*') };
}

/** One element as a set holds it, for `keys` (one key, or the parts of a concatenation). */
function element(keys: Key[], e: JsonValue): Element | null {
  if (typeof e === 'string' || typeof e === 'number' || typeof e === 'boolean') return literal(keys[0], e);
  const k = kindOf(e);
  if (k === null) return null;
  if (k.kind === 'elem') return element(keys, field(k.body, 'val') ?? null);
  if (k.kind === 'prefix') return { kind: 'prefix', value: `${str(field(k.body, 'addr'))}/${str(field(k.body, 'len'))}` };
  if (k.kind === 'range' && Array.isArray(k.body) && k.body.length === 2) return { kind: 'range', from: str(k.body[0]), to: str(k.body[1]) };
  if (k.kind === 'concat' && Array.isArray(k.body) && k.body.length === keys.length) {
    const parts = k.body.map((p, i) => element([keys[i]!], p));
    return parts.every((p) => p !== null) ? { kind: 'tuple', parts: parts as Element[] } : null;
  }
  return null;
}

function elements(keys: Key[], right: JsonValue, sets: SetLookup): Element[] | null {
  let items: JsonValue[];
  if (typeof right === 'string' && right.startsWith('@')) {
    const set = sets(right.slice(1));
    if (set === undefined || set.isMap) return null;
    items = set.elem;
  } else if (Array.isArray(right)) items = right;
  else if (kindOf(right)?.kind === 'set') {
    const body = kindOf(right)!.body;
    items = Array.isArray(body) ? body : [body];
  } else items = [right];
  const out = items.map((i) => element(keys, i));
  return out.every((e) => e !== null) ? (out as Element[]) : null;
}

function compare(op: string, v: number): Element | null {
  if (op === '<') return { kind: 'range', from: '0', to: String(v - 1) };
  if (op === '<=') return { kind: 'range', from: '0', to: String(v) };
  if (op === '>') return { kind: 'range', from: String(v + 1), to: String(2 ** 32 - 1) };
  if (op === '>=') return { kind: 'range', from: String(v), to: String(2 ** 32 - 1) };
  return null;
}

/** `tcp flags & (fin | syn | rst | ack) == syn` — iptables' `--syn`, as iptables-translate and nft write it. */
function synMatch(left: JsonValue, right: JsonValue, text: string): Match | null {
  const k = kindOf(left);
  if (k?.kind !== '&' || !Array.isArray(k.body)) return null;
  const p = kindOf(k.body[0] ?? null);
  if (p?.kind !== 'payload' || str(field(p.body, 'protocol')) !== 'tcp' || str(field(p.body, 'field')) !== 'flags') return null;
  const want = JSON.stringify(right) === '"syn"';
  return want ? { kind: 'cmp', keys: ['tcpsyn'], negated: false, elements: [{ kind: 'value', value: 'true' }], text } : null;
}

function matchOf(b: JsonValue, sets: SetLookup, text: string): Match[] {
  const op = str(field(b, 'op'));
  const left = field(b, 'left') ?? null;
  const right = field(b, 'right') ?? null;
  const syn = synMatch(left, right, text);
  if (syn !== null) return [{ kind: 'cmp', keys: ['l4proto'], negated: false, elements: [{ kind: 'value', value: 'tcp' }], text }, syn];
  const key = keyRead(left);
  if (key === null) return [{ kind: 'unknown', text }];
  let els: Element[] | null;
  if (['<', '>', '<=', '>='].includes(op)) {
    const c = typeof right === 'number' ? compare(op, right) : null;
    els = c === null ? null : [c];
  } else els = elements(key.keys, right, sets);
  if (els === null) return [...key.implied, { kind: 'unknown', text }];
  const negated = op === '!=';
  const m: Match = { kind: 'cmp', keys: key.keys, negated, elements: els, ...(key.mask !== undefined ? { mask: key.mask } : {}), text };
  return [...key.implied, m];
}

function natTo(b: JsonValue): NatTo | null {
  if (b === null) return { ip: null, port: null };
  const addr = field(b, 'addr');
  const port = field(b, 'port');
  let ip: string | null = null;
  if (typeof addr === 'string') ip = addr;
  else if (addr !== undefined) return null;
  if (port === undefined) return { ip, port: null };
  if (typeof port === 'number') return { ip, port };
  const r = kindOf(port);
  if (r?.kind === 'range' && Array.isArray(r.body) && typeof r.body[0] === 'number' && typeof r.body[1] === 'number') return { ip, port: r.body[0], portEnd: r.body[1] };
  return null;
}

function verdictOf(v: JsonValue, sets: SetLookup): Verdict | null {
  const k = kindOf(v);
  if (k === null) return null;
  switch (k.kind) {
    case 'accept':
    case 'drop':
    case 'reject':
    case 'return':
      return { kind: k.kind };
    case 'jump':
    case 'goto':
      return { kind: k.kind, chain: str(field(k.body, 'target')) };
    case 'dnat':
    case 'snat': {
      const to = natTo(k.body);
      return to === null ? { kind: 'unknown', text: `${statementText(v)} (a translation through a map or an expression)` } : { kind: k.kind, to };
    }
    case 'masquerade':
      return { kind: 'masquerade' };
    case 'redirect': {
      const port = k.body === null ? undefined : field(k.body, 'port');
      return { kind: 'redirect', port: typeof port === 'number' ? port : null };
    }
    case 'vmap':
      return vmapOf(k.body, sets, statementText(v));
    case 'queue':
    case 'tproxy':
    case 'synproxy':
    case 'fwd':
      return { kind: 'unknown', text: `netloom does not model "${statementText(v)}"` };
  }
  return null;
}

function vmapOf(b: JsonValue, sets: SetLookup, text: string): Verdict {
  const key = keyRead(field(b, 'key') ?? null);
  const data = field(b, 'data') ?? null;
  let pairs: JsonValue[] = [];
  if (typeof data === 'string' && data.startsWith('@')) pairs = sets(data.slice(1))?.elem ?? [];
  else {
    const s = kindOf(data);
    if (s?.kind === 'set') pairs = Array.isArray(s.body) ? s.body : [s.body];
  }
  // A key netloom cannot read (numgen, jhash) still has readable entries: the walk then compares them.
  const keys = key === null || key.mask !== undefined ? null : key.keys;
  const entries: { element: Element | null; verdict: Verdict }[] = [];
  for (const p of pairs) {
    if (!Array.isArray(p) || p.length !== 2) return { kind: 'unknown', text: `cannot read the map of "${text}"` };
    const el = keys === null ? null : element(keys, p[0] ?? null);
    const verdict = verdictOf(p[1] ?? null, sets);
    if ((keys !== null && el === null) || verdict === null) return { kind: 'unknown', text: `cannot read the map of "${text}"` };
    entries.push({ element: el, verdict });
  }
  return { kind: 'vmap', keys, entries, text };
}

/** `meta mark set 0x1`, `meta mark set mark or 0x2000`, `ct mark set 0x5`. */
function markEffect(b: JsonValue, text: string): Effect {
  const target = keyRead(field(b, 'key') ?? null);
  const value = field(b, 'value') ?? null;
  if (target === null || (target.keys[0] !== 'mark' && target.keys[0] !== 'ctmark') || target.keys.length !== 1) return { kind: 'unknown', text };
  const t = target.keys[0] as 'mark' | 'ctmark';
  if (typeof value === 'number') return { kind: 'mark', target: t, value: value >>> 0, mask: 0xffffffff };
  const k = kindOf(value);
  if (k && (k.kind === '|' || k.kind === '&') && Array.isArray(k.body) && typeof k.body[1] === 'number') {
    const self = keyRead(k.body[0] ?? null);
    if (self?.keys[0] === t) {
      const n = k.body[1] >>> 0;
      return k.kind === '|' ? { kind: 'mark', target: t, value: n, mask: n } : { kind: 'mark', target: t, value: 0, mask: ~n >>> 0 };
    }
  }
  return { kind: 'unknown', text };
}

/** Statements that only count, log or remember. */
const PASSIVE = new Set(['counter', 'log', 'set', 'ct helper', 'ct timeout', 'ct expectation', 'flow', 'dup', 'secmark', 'xt-passive']);
/** Statements that stop the rule for some packets only: a match netloom cannot evaluate. */
const GATES = new Set(['limit', 'quota', 'meter', 'ct count', 'connlimit', 'numgen']);

export function nftForm(expr: JsonValue[], sets: SetLookup): RuleForm {
  const form: RuleForm = { matches: [], effects: [], verdict: null };
  for (const s of expr) {
    const k = kindOf(s);
    if (k === null || form.verdict !== null) continue;
    const text = statementText(s);
    if (k.kind === 'match') {
      form.matches.push(...matchOf(k.body, sets, text));
      continue;
    }
    if (PASSIVE.has(k.kind)) continue;
    if (GATES.has(k.kind)) {
      form.matches.push({ kind: 'unknown', text });
      continue;
    }
    if (k.kind === 'xt') {
      if (str(field(k.body, 'type')) === 'match') form.matches.push({ kind: 'unknown', text: `${text} (an iptables match inside nftables)` });
      else form.verdict = { kind: 'unknown', text: `${text} (an iptables target inside nftables)` };
      continue;
    }
    if (k.kind === 'mangle') {
      form.effects.push(markEffect(k.body, text));
      continue;
    }
    if (k.kind === 'notrack') {
      form.effects.push({ kind: 'unknown', text: 'notrack changes connection tracking' });
      continue;
    }
    if (k.kind === 'continue') continue;
    // `ip daddr . th dport vmap …` also means "IPv4": the key's implied protocol is a match of the rule.
    if (k.kind === 'vmap') form.matches.push(...(keyRead(field(k.body, 'key') ?? null)?.implied ?? []));
    const v = verdictOf(s, sets);
    if (v !== null) form.verdict = v;
    else form.effects.push({ kind: 'unknown', text });
  }
  return form;
}


