import type { Effect, Element, Key, Match, NatTo, RuleForm, Verdict } from './rule-form.js';
import { findOption, parseSpec, ruleTarget, type SpecOption } from './iptables-spec.js';
import { parseToDestination } from './nat-target.js';

/**
 * iptables-save's spelling of a rule (legacy or iptables-nft, IPv4 or IPv6) → the one rule form.
 * Every option netloom can evaluate becomes a match; any other (a rate limit, physdev, an ipset,
 * a string match, a module it does not know) becomes an `unknown` match naming the option.
 */

/** Modules whose loading alone changes nothing (their options are read one by one). */
const PLAIN_MODULES = new Set(['tcp', 'udp', 'icmp', 'icmp6', 'icmpv6', 'comment', 'conntrack', 'state', 'addrtype', 'multiport', 'mark', 'connmark', 'iprange', 'sctp']);
const PROTO_NUMBERS: Record<string, string> = { '1': 'icmp', '6': 'tcp', '17': 'udp', '58': 'icmpv6', '132': 'sctp', '0': 'all' };
const PROTO_NAMES: Record<string, string> = { 'ipv6-icmp': 'icmpv6', icmp6: 'icmpv6' };
const CT_STATES = new Set(['new', 'established', 'related', 'invalid', 'untracked']);
const ICMP_NAMES: Record<string, string> = { '8': 'echo-request', '0': 'echo-reply', '128': 'echo-request', '129': 'echo-reply', '3': 'destination-unreachable', '11': 'time-exceeded' };
/** Targets that only watch or tweak the packet in ways routing and filtering ignore. */
const PASSIVE = new Set(['LOG', 'NFLOG', 'ULOG', 'TRACE', 'TCPMSS', 'CHECKSUM', 'CLASSIFY', 'DSCP', 'TOS', 'TTL', 'HL', 'AUDIT', 'SECMARK', 'CONNSECMARK', 'TEE', 'LED', 'IDLETIMER', 'RATEEST']);

/** Terminal targets netloom does not follow. */
const UNMODELLED = new Set(['QUEUE', 'NFQUEUE', 'TPROXY', 'SYNPROXY', 'TARPIT', 'CLUSTERIP', 'NETMAP']);

const optText = (o: SpecOption): string => `${o.negated ? '! ' : ''}${o.name}${o.args.length ? ' ' + o.args.join(' ') : ''}`;

function cmp(keys: Key[], o: SpecOption, elements: Element[], mask?: number): Match {
  return { kind: 'cmp', keys, negated: o.negated, elements, ...(mask !== undefined ? { mask } : {}), text: optText(o) };
}

const value = (v: string): Element => ({ kind: 'value', value: v });

function addrElements(arg: string): Element[] {
  return arg.split(',').map((a) => ({ kind: 'prefix', value: a.includes('/') ? a : `${a}/${a.includes(':') ? 128 : 32}` }));
}

/** `80`, `80:90`, `:1024`, `80,443,9000:9010` → values and ranges. */
export function portElements(text: string): Element[] {
  const out: Element[] = [];
  for (const part of text.split(',')) {
    const m = /^(\d*)(?::(\d*))?$/.exec(part);
    if (m === null || part === '') continue;
    const start = m[1] === '' ? '0' : String(Number(m[1]));
    if (m[2] === undefined) out.push(value(start));
    else out.push({ kind: 'range', from: start, to: m[2] === '' ? '65535' : String(Number(m[2])) });
  }
  return out;
}

function ifaceElement(name: string): Element {
  return name.endsWith('+') ? { kind: 'wildcard', prefix: name.slice(0, -1) } : value(name);
}

/** `0x1/0xff`, `1` → value and mask. */
export function markOf(text: string): { value: number; mask: number } | null {
  const [v, m] = text.split('/');
  const n = Number(v);
  const mask = m === undefined ? 0xffffffff : Number(m);
  return Number.isInteger(n) && Number.isInteger(mask) ? { value: n >>> 0, mask: mask >>> 0 } : null;
}

function stateMatch(o: SpecOption): Match {
  const items = (o.args[0] ?? '').split(',').map((s) => s.toLowerCase());
  const states = items.filter((s) => CT_STATES.has(s)).map(value);
  const statuses = items.filter((s) => s === 'dnat' || s === 'snat').map(value);
  if (states.length + statuses.length !== items.length) return { kind: 'unknown', text: optText(o) };
  const parts: Match[] = [];
  if (states.length) parts.push({ kind: 'cmp', keys: ['ctstate'], negated: false, elements: states, text: optText(o) });
  if (statuses.length) parts.push({ kind: 'cmp', keys: ['ctstatus'], negated: false, elements: statuses, text: optText(o) });
  const either: Match = parts.length === 1 ? parts[0]! : { kind: 'any', of: parts, text: optText(o) };
  return o.negated ? negate(either, optText(o)) : either;
}

/** `! A` for a compound match: only a single comparison can carry a negation. */
function negate(m: Match, text: string): Match {
  return m.kind === 'cmp' ? { ...m, negated: !m.negated } : { kind: 'unknown', text };
}

function optionMatch(o: SpecOption, isV6: boolean): Match | null {
  const arg = o.args[0] ?? '';
  switch (o.name) {
    case '-s':
    case '--source':
    case '--src':
      return cmp(['saddr'], o, addrElements(arg));
    case '-d':
    case '--destination':
    case '--dst':
      return cmp(['daddr'], o, addrElements(arg));
    case '-i':
    case '--in-interface':
      return cmp(['iifname'], o, [ifaceElement(arg)]);
    case '-o':
    case '--out-interface':
      return cmp(['oifname'], o, [ifaceElement(arg)]);
    case '-p':
    case '--protocol': {
      const lower = arg.toLowerCase();
      const name = PROTO_NUMBERS[lower] ?? PROTO_NAMES[lower] ?? (lower === 'icmp' && isV6 ? 'icmpv6' : lower);
      return name === 'all' ? null : cmp(['l4proto'], o, [value(name)]);
    }
    case '-m':
    case '--match':
      return PLAIN_MODULES.has(arg) ? null : { kind: 'unknown', text: optText(o) };
    case '-f':
    case '--fragment':
      return cmp(['fragment'], o, [value('true')]);
    case '--dport':
    case '--destination-port':
    case '--dports':
      return cmp(['dport'], o, portElements(arg));
    case '--sport':
    case '--source-port':
    case '--sports':
      return cmp(['sport'], o, portElements(arg));
    case '--ports': {
      const any: Match = { kind: 'any', of: [cmp(['dport'], { ...o, negated: false }, portElements(arg)), cmp(['sport'], { ...o, negated: false }, portElements(arg))], text: optText(o) };
      return o.negated ? { kind: 'unknown', text: optText(o) } : any;
    }
    case '--ctstate':
    case '--state':
      return stateMatch(o);
    case '--ctstatus':
      return cmp(['ctstatus'], o, arg.split(',').map((s) => value(s.toLowerCase())));
    case '--ctdir':
      return cmp(['ctdirection'], o, [value(arg.toLowerCase())]);
    case '--dst-type':
      return cmp(['daddrtype'], o, arg.split(',').map((s) => value(s.toLowerCase())));
    case '--src-type':
      return cmp(['saddrtype'], o, arg.split(',').map((s) => value(s.toLowerCase())));
    case '--icmp-type':
    case '--icmpv6-type': {
      const t = arg.toLowerCase();
      return t === 'any' ? null : cmp(['icmptype'], o, [value(ICMP_NAMES[t] ?? t)]);
    }
    case '--syn':
      return cmp(['tcpsyn'], o, [value('true')]);
    case '--comment':
      return null;
    case '--mark': {
      const m = markOf(arg);
      return m === null ? { kind: 'unknown', text: optText(o) } : cmp(['mark'], o, [value(String(m.value & m.mask))], m.mask);
    }
    case '--src-range':
    case '--dst-range': {
      const [from = '', to = ''] = arg.split('-');
      return cmp([o.name === '--src-range' ? 'saddr' : 'daddr'], o, [{ kind: 'range', from, to }]);
    }
    default:
      return { kind: 'unknown', text: optText(o) };
  }
}

function natTo(text: string | undefined): NatTo | null {
  if (text === undefined) return { ip: null, port: null };
  const parsed = parseToDestination(text);
  if (parsed === null) return null;
  // `IP:9000-9010/8000`: a shifted range, host port P goes to 9000 + (P - 8000).
  const range = /:(\d+)-(\d+)(?:\/(\d+))?$/.exec(text);
  return {
    ip: parsed.ip,
    port: parsed.port,
    ...(range?.[2] !== undefined ? { portEnd: Number(range[2]) } : {}),
    ...(range?.[3] !== undefined ? { base: Number(range[3]) } : {}),
  };
}

function firstPort(opts: SpecOption[], name: string): number | null {
  const n = Number(findOption(opts, name)?.args[0]?.split('-')[0]);
  return Number.isInteger(n) ? n : null;
}

function markEffect(target: 'mark' | 'ctmark', opts: SpecOption[]): Effect | null {
  const set = findOption(opts, '--set-xmark') ?? findOption(opts, '--set-mark');
  if (set?.args[0] !== undefined) {
    const m = markOf(set.args[0]);
    // --set-mark V/M clears M then ORs V; --set-xmark V/M clears M then XORs V: the same for V ⊆ M.
    return m === null ? null : { kind: 'mark', target, value: m.value, mask: m.mask };
  }
  const and = findOption(opts, '--and-mark')?.args[0];
  if (and !== undefined && markOf(and)) return { kind: 'mark', target, value: 0, mask: ~markOf(and)!.value >>> 0 };
  const or = findOption(opts, '--or-mark')?.args[0];
  if (or !== undefined && markOf(or)) return { kind: 'mark', target, value: markOf(or)!.value, mask: markOf(or)!.value };
  return null;
}

/** What the target does: a verdict, a side effect, or nothing the trace needs. */
function targetOf(opts: SpecOption[], spec: string): { verdict: Verdict | null; effects: Effect[] } {
  const t = ruleTarget(opts);
  if (t === null) return { verdict: null, effects: [] };
  const none = { verdict: null, effects: [] as Effect[] };
  switch (t.target) {
    case 'ACCEPT':
      return { verdict: { kind: 'accept' }, effects: [] };
    case 'DROP':
      return { verdict: { kind: 'drop' }, effects: [] };
    case 'REJECT':
      return { verdict: { kind: 'reject' }, effects: [] };
    case 'RETURN':
      return { verdict: { kind: 'return' }, effects: [] };
    case 'DNAT':
    case 'SNAT': {
      const to = natTo(findOption(opts, t.target === 'DNAT' ? '--to-destination' : '--to-source')?.args[0]);
      if (to === null) return { verdict: { kind: 'unknown', text: `cannot read the ${t.target} target of "${spec}"` }, effects: [] };
      return { verdict: t.target === 'DNAT' ? { kind: 'dnat', to } : { kind: 'snat', to }, effects: [] };
    }
    case 'MASQUERADE':
      return { verdict: { kind: 'masquerade' }, effects: [] };
    case 'REDIRECT':
      return { verdict: { kind: 'redirect', port: firstPort(opts, '--to-ports') }, effects: [] };
    case 'MARK':
    case 'CONNMARK': {
      const e = markEffect(t.target === 'MARK' ? 'mark' : 'ctmark', opts);
      return { verdict: null, effects: [e ?? { kind: 'unknown', text: `-j ${t.target} ${spec.split(`-j ${t.target}`)[1]?.trim() ?? ''}`.trim() }] };
    }
    case 'CT':
    case 'NOTRACK':
      return { verdict: null, effects: [{ kind: 'unknown', text: `-j ${t.target} changes connection tracking` }] };
  }
  if (PASSIVE.has(t.target)) return none;
  if (UNMODELLED.has(t.target)) {
    return { verdict: { kind: 'unknown', text: `netloom does not model the target ${t.target}` }, effects: [] };
  }
  return { verdict: { kind: t.goto ? 'goto' : 'jump', chain: t.target }, effects: [] };
}

/** One iptables-save rule spec (without `-A CHAIN`) → its form. `isV6`: an ip6tables rule. */
export function iptablesForm(spec: string, isV6 = false): RuleForm {
  const opts = parseSpec(spec);
  const matches: Match[] = [];
  for (const o of opts) {
    if (o.name === '-j' || o.name === '--jump' || o.name === '-g' || o.name === '--goto') break;
    const m = optionMatch(o, isV6);
    if (m !== null) matches.push(m);
  }
  const { verdict, effects } = targetOf(opts, spec);
  return { matches, effects, verdict };
}
