import { useSyncExternalStore } from 'react';
import type { IpRuleRef, RuleRef } from './rule-ref.js';

/** What the rules view can open on and mark: a firewall rule or chain, or a policy routing rule. */
export type MarkTarget = ({ kind: 'rule' } & RuleRef) | ({ kind: 'ipRule' } & IpRuleRef);

/**
 * Why a rule is marked: `focus` — the view was opened on it (an explained hop's "decided by");
 * `traced` — the kernel said this rule decided (an nftables trace of a real probe).
 */
export type MarkKind = 'focus' | 'traced';
export interface RuleMark {
  kind: MarkKind;
  target: MarkTarget;
}

export interface RuleMarksStore {
  get(): readonly RuleMark[];
  /** Replaces the marks of one kind (an empty list clears them). */
  set(kind: MarkKind, targets: MarkTarget[]): void;
  clear(): void;
  subscribe(listener: () => void): () => void;
}

export function createRuleMarks(): RuleMarksStore {
  let marks: readonly RuleMark[] = [];
  const listeners = new Set<() => void>();
  const emit = () => {
    for (const l of [...listeners]) l();
  };
  return {
    get: () => marks,
    set(kind, targets) {
      marks = [...marks.filter((m) => m.kind !== kind), ...targets.map((target) => ({ kind, target }))];
      emit();
    },
    clear() {
      marks = [];
      emit();
    },
    subscribe(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
}

/**
 * The page's marks: anything may mark a rule from outside the view (the trace probe:
 * `ruleMarks.set('traced', [deciderTarget(snapshot, decidedBy)])`), and an open rules view
 * shows it at once, switching to the mark's table and scrolling it into view.
 */
export const ruleMarks: RuleMarksStore = createRuleMarks();

export function useRuleMarks(store: RuleMarksStore = ruleMarks): readonly RuleMark[] {
  return useSyncExternalStore(store.subscribe, store.get);
}
