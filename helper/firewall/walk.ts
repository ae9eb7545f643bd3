import type { Rule } from '../../protocol/src/snapshot.js';
import type { PacketView } from './evaluate.js';
import { evalMatches, vmapPick } from './evaluate.js';
import type { NsFirewall, TableRef } from './ns-firewall.js';
import type { Effect, NatTo, Verdict } from './rule-form.js';

/**
 * Walks one chain of one table as the kernel does: rules in order, jumps and gotos into other
 * chains of the same table, RETURN, verdict maps, marks set on the way, and the chain's policy
 * when nothing decided. A rule whose match netloom cannot evaluate is tried both ways: if the
 * outcome is the same either way it stands, otherwise the verdict is "unknown".
 */
export type NatAction =
  | { kind: 'dnat'; to: NatTo }
  | { kind: 'snat'; to: NatTo }
  | { kind: 'masquerade' }
  | { kind: 'redirect'; port: number | null };

export type WalkVerdict = (
  | { kind: 'accept' | 'drop' | 'reject'; rule: Rule | null; policy?: string }
  | { kind: 'nat'; action: NatAction; rule: Rule }
  | { kind: 'unknown'; why: string; rule: Rule | null }
) & {
  /** The packet mark after the walk (null: unknown). */
  mark?: number | null;
  ctmark?: number | null;
};

const MAX_DEPTH = 32;
const MAX_FORKS = 64;

interface Walk {
  fw: NsFirewall;
  ref: TableRef;
  forks: { n: number };
}

/** What decides when the chain runs out: a base chain's policy, or the caller's next rule. */
export type Cont = (pkt: PacketView) => WalkVerdict;

export function walkChain(fw: NsFirewall, ref: TableRef, chain: string, pkt: PacketView, policy: 'accept' | 'drop'): WalkVerdict {
  const end: Cont = (p) => ({ kind: policy, rule: null, policy: policy.toUpperCase(), mark: p.mark, ctmark: p.ctmark });
  return walkFrom({ fw, ref, forks: { n: 0 } }, chain, 0, 0, { ...pkt }, end);
}

function same(a: WalkVerdict, b: WalkVerdict): boolean {
  if (a.kind !== b.kind || a.kind === 'unknown') return false;
  if (a.kind === 'nat' && b.kind === 'nat') return JSON.stringify(a.action) === JSON.stringify(b.action);
  return true;
}

function applyEffect(p: PacketView, e: Effect): PacketView {
  if (e.kind === 'unknown') return /conntrack|connection tracking/.test(e.text) ? { ...p, taint: e.text } : { ...p, mark: null, ctmark: null };
  const cur = e.target === 'mark' ? p.mark : p.ctmark;
  const next = cur === null ? null : ((cur & ~e.mask) ^ e.value) >>> 0;
  return e.target === 'mark' ? { ...p, mark: next } : { ...p, ctmark: next };
}

const withMarks = (v: WalkVerdict, p: PacketView): WalkVerdict => ({ ...v, mark: p.mark, ctmark: p.ctmark });

function walkFrom(w: Walk, chain: string, from: number, depth: number, pkt: PacketView, cont: Cont): WalkVerdict {
  if (depth > MAX_DEPTH) return { kind: 'unknown', why: `chains nest deeper than ${MAX_DEPTH} (a loop?)`, rule: null };
  const rules = w.fw.rules(w.ref, chain);
  for (let i = from; i < rules.length; i++) {
    const rule = rules[i]!;
    const form = w.fw.form(rule);
    const m = evalMatches(form.matches, pkt);
    if (m.result === 'no') continue;
    const rest: Cont = (p) => walkFrom(w, chain, i + 1, depth, p, cont);
    const matched = (): WalkVerdict => {
      const p = form.effects.reduce(applyEffect, pkt);
      return form.verdict === null ? rest(p) : decide(w, form.verdict, rule, chain, depth, p, rest, cont);
    };
    if (m.result === 'yes') return matched();
    if (++w.forks.n > MAX_FORKS) return { kind: 'unknown', why: m.why ?? 'too many rules netloom cannot evaluate', rule };
    const a = matched();
    const b = rest(pkt);
    if (same(a, b)) return a.mark === b.mark && a.ctmark === b.ctmark ? b : { ...b, mark: null, ctmark: null };
    return { kind: 'unknown', why: `${m.why ?? 'a match netloom cannot evaluate'} (in ${chain}: ${rule.spec})`, rule };
  }
  return cont(pkt);
}

function decide(w: Walk, v: Verdict, rule: Rule, chain: string, depth: number, p: PacketView, rest: Cont, cont: Cont): WalkVerdict {
  switch (v.kind) {
    case 'accept':
    case 'drop':
    case 'reject':
      return withMarks({ kind: v.kind, rule }, p);
    case 'return':
      return cont(p);
    case 'dnat':
    case 'snat':
      return withMarks({ kind: 'nat', action: { kind: v.kind, to: v.to }, rule }, p);
    case 'masquerade':
      return withMarks({ kind: 'nat', action: { kind: 'masquerade' }, rule }, p);
    case 'redirect':
      return withMarks({ kind: 'nat', action: { kind: 'redirect', port: v.port }, rule }, p);
    case 'unknown':
      return { kind: 'unknown', why: v.text, rule };
    case 'jump':
    case 'goto':
      if (!w.fw.hasChain(w.ref, v.chain)) return { kind: 'unknown', why: `netloom does not model the target ${v.chain}`, rule };
      return walkFrom(w, v.chain, 0, depth + 1, p, v.kind === 'goto' ? cont : rest);
    case 'vmap': {
      if (v.keys === null) {
        // numgen/jhash: one of the entries; decided only when every entry decides alike.
        const outs = v.entries.map((e) => decide(w, e.verdict, rule, chain, depth, p, rest, cont));
        const first = outs[0];
        if (first !== undefined && outs.every((o) => same(o, first))) return first;
        return { kind: 'unknown', why: `${v.text}: the entry is chosen at random or by a hash`, rule };
      }
      const pick = vmapPick(v.keys, v.entries.flatMap((e) => (e.element === null ? [] : [{ element: e.element, verdict: e.verdict }])), p);
      if (pick === null) return rest(p);
      if ('unknown' in pick) return { kind: 'unknown', why: `${v.text}: netloom cannot know ${pick.unknown}`, rule };
      return decide(w, pick.verdict, rule, chain, depth, p, rest, cont);
    }
  }
}
