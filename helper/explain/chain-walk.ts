import type { Rule } from '../../protocol/src/snapshot.js';
import type { HopDecider } from '../../protocol/src/explain.js';
import { parseSpec, ruleTarget } from '../firewall/iptables-spec.js';
import type { SpecOption } from '../firewall/iptables-spec.js';
import { findOption } from '../firewall/iptables-spec.js';
import { parseToDestination } from '../discover/dnat-rule.js';
import type { NetIndex } from './net-index.js';
import type { MatchContext } from './packet.js';
import { matchRule } from './rule-match.js';

/**
 * Walks one built-in chain of one table as the kernel does: rules in order, jumps into user
 * chains (DOCKER-USER, DOCKER-FORWARD, DOCKER-ISOLATION-STAGE-1/2…), RETURN, goto, and the
 * chain's policy when nothing decided. A rule whose match netloom cannot evaluate is tried both
 * ways: if the outcome is the same either way it stands, otherwise the verdict is "unknown".
 */
export type NatAction = { kind: 'dnat'; ip: string; port: number | null; base?: number } | { kind: 'snat'; ip: string } | { kind: 'masquerade' } | { kind: 'redirect'; port: number | null };

export type Verdict =
  | { kind: 'accept' | 'drop' | 'reject'; rule: Rule | null; policy?: string }
  | { kind: 'nat'; action: NatAction; rule: Rule }
  | { kind: 'unknown'; why: string; rule: Rule | null };

/** Targets that do not end the walk. */
const NON_TERMINAL = new Set(['LOG', 'NFLOG', 'ULOG', 'MARK', 'CONNMARK', 'CT', 'NOTRACK', 'TRACE', 'TCPMSS', 'CHECKSUM', 'CLASSIFY', 'DSCP', 'TOS', 'TTL', 'HL', 'AUDIT', 'SECMARK', 'CONNSECMARK', 'TEE']);
const MAX_DEPTH = 32;
const MAX_FORKS = 64;

export function walkChain(idx: NetIndex, ns: string, table: string, chain: string, ctx: MatchContext): Verdict {
  const policy = (): Verdict => {
    const c = idx.chain(ns, table, chain);
    if (c?.policy) {
      const p = c.policy.toUpperCase();
      return { kind: p === 'DROP' ? 'drop' : p === 'ACCEPT' ? 'accept' : 'reject', rule: null, policy: p };
    }
    // An nft host loads a table only once a rule uses it; a table nobody loaded lets everything pass.
    if (!idx.hasTable(ns, table) || idx.snapshot.chains !== undefined) return { kind: 'accept', rule: null, policy: 'ACCEPT' };
    return { kind: 'unknown', why: `the policy of ${chain} (${table}) is not in the snapshot`, rule: null };
  };
  return walkFrom({ idx, ns, table, ctx, forks: 0 }, chain, 0, 0, policy);
}

function same(a: Verdict, b: Verdict): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'nat' && b.kind === 'nat') return JSON.stringify(a.action) === JSON.stringify(b.action);
  return a.kind !== 'unknown';
}

function natAction(target: string, opts: SpecOption[]): NatAction | null {
  if (target === 'MASQUERADE') return { kind: 'masquerade' };
  const port = (name: string): number | null => {
    const v = findOption(opts, name)?.args[0];
    const n = v === undefined ? NaN : Number(v.split('-')[0]);
    return Number.isInteger(n) ? n : null;
  };
  if (target === 'REDIRECT') return { kind: 'redirect', port: port('--to-ports') };
  const to = findOption(opts, target === 'DNAT' ? '--to-destination' : '--to-source')?.args[0];
  const parsed = to === undefined ? null : parseToDestination(to);
  if (parsed === null) return null;
  // A shifted range (`IP:9000-9010/8000`): host port P goes to 9000 + (P - 8000).
  const base = /\/(\d+)$/.exec(to ?? '')?.[1];
  return target === 'DNAT' ? { kind: 'dnat', ip: parsed.ip, port: parsed.port, ...(base !== undefined ? { base: Number(base) } : {}) } : { kind: 'snat', ip: parsed.ip };
}

interface Walk {
  idx: NetIndex;
  ns: string;
  table: string;
  ctx: MatchContext;
  forks: number;
}

/**
 * Continuation style: `cont` is what happens when this chain is done without a verdict (RETURN
 * or its end) — the caller's next rule, or the policy — so every path ends in a verdict and the
 * two branches of an unknown match compare exactly.
 */
function walkFrom(w: Walk, chain: string, from: number, depth: number, cont: () => Verdict): Verdict {
  if (depth > MAX_DEPTH) return { kind: 'unknown', why: `chains nest deeper than ${MAX_DEPTH} (a loop?)`, rule: null };
  const rules = w.idx.rules(w.ns, w.table, chain);
  for (let i = from; i < rules.length; i++) {
    const rule = rules[i]!;
    const opts = parseSpec(rule.spec);
    const m = matchRule(opts, w.ctx);
    if (m.result === 'no') continue;
    const t = ruleTarget(opts);
    if (t === null || NON_TERMINAL.has(t.target)) continue;
    const rest = (): Verdict => walkFrom(w, chain, i + 1, depth, cont);
    const matched = (): Verdict => {
      switch (t.target) {
        case 'ACCEPT':
          return { kind: 'accept', rule };
        case 'DROP':
          return { kind: 'drop', rule };
        case 'REJECT':
          return { kind: 'reject', rule };
        case 'RETURN':
          return cont();
        case 'DNAT':
        case 'SNAT':
        case 'MASQUERADE':
        case 'REDIRECT': {
          const action = natAction(t.target, opts);
          return action === null ? { kind: 'unknown', why: `cannot read the ${t.target} target of "${rule.spec}"`, rule } : { kind: 'nat', action, rule };
        }
      }
      if (w.idx.rules(w.ns, w.table, t.target).length > 0 || w.idx.chain(w.ns, w.table, t.target) !== undefined) {
        return walkFrom(w, t.target, 0, depth + 1, t.goto ? cont : rest);
      }
      return { kind: 'unknown', why: `netloom does not model the target ${t.target}`, rule };
    };
    if (m.result === 'yes') return matched();
    if (++w.forks > MAX_FORKS) return { kind: 'unknown', why: m.why ?? 'too many rules netloom cannot evaluate', rule };
    const a = matched();
    const b = rest();
    if (same(a, b)) return b;
    return { kind: 'unknown', why: `${m.why ?? 'a match netloom cannot evaluate'} (in -A ${chain} ${rule.spec})`, rule };
  }
  return cont();
}

/** What decided, for the UI to jump to: the rule, or the chain's policy. */
export function deciderOf(ns: string, table: string, chain: string, v: Verdict): HopDecider | null {
  if (v.rule !== null) return { kind: 'rule', ns, table: v.rule.table, chain: v.rule.chain, spec: v.rule.spec };
  if (v.kind !== 'unknown' && v.kind !== 'nat' && v.policy !== undefined) return { kind: 'policy', ns, table, chain, policy: v.policy };
  return null;
}
