import type { IpRule, Rule } from '../../../../protocol/src/index.js';
import type { ChainGroup, TableGroup } from '../group-rules.js';
import { ipRuleText } from './ip-rule-text.js';
import type { MarkKind, RuleMark } from './rule-marks.js';
import { refInTable, refIsChain, refIsRule, refOnChain } from './rule-ref.js';

/** A traced mark says more than an explained one: it wins where both fall on one rule. */
const pick = (kinds: MarkKind[]): MarkKind | null => (kinds.includes('traced') ? 'traced' : (kinds[0] ?? null));

export function ruleMark(marks: readonly RuleMark[], r: Rule): MarkKind | null {
  return pick(marks.filter((m) => m.target.kind === 'rule' && refIsRule(m.target, r)).map((m) => m.kind));
}

export function chainMark(marks: readonly RuleMark[], c: ChainGroup): MarkKind | null {
  return pick(marks.filter((m) => m.target.kind === 'rule' && refIsChain(m.target, { ...c.ref, backend: c.ref.backend ?? undefined, chain: c.chain })).map((m) => m.kind));
}

/** Whether a mark falls on this chain or one of its rules (the chain then opens). */
export const marksChain = (marks: readonly RuleMark[], c: ChainGroup): boolean => marks.some((m) => m.target.kind === 'rule' && refOnChain(m.target, c.ref, c.chain));

/** The first table a mark falls in: the by-table view opens on it. */
export function markedTable(marks: readonly RuleMark[], tables: TableGroup[]): TableGroup | null {
  for (const m of [...marks].reverse()) {
    if (m.target.kind !== 'rule') continue;
    const ref = m.target;
    const t = tables.find((x) => refInTable(ref, x.ref) && x.chains.some((c) => c.chain === ref.chain)) ?? tables.find((x) => refInTable(ref, x.ref));
    if (t) return t;
  }
  return null;
}

/**
 * The mark of each policy routing rule: by priority and text as Explain printed it; when the
 * text matches none (rules changed since), by priority alone.
 */
export function ipRuleMarks(marks: readonly RuleMark[], ns: string, rules: IpRule[]): (MarkKind | null)[] {
  const texts = rules.map(ipRuleText);
  return rules.map((r, k) => {
    const hits = marks.filter((m) => {
      if (m.target.kind !== 'ipRule' || m.target.ns !== ns || m.target.priority !== r.priority) return false;
      return m.target.text === texts[k] || !texts.includes(m.target.text);
    });
    return pick(hits.map((m) => m.kind));
  });
}
