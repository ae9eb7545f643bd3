import { useCallback, useState } from 'react';
import type React from 'react';
import type { HopDecider, Snapshot } from '../../../protocol/src/index.js';
import { useControlStore } from '../control/use-control.js';
import { defaultForm, toParams } from './endpoint-form.js';
import { deciderTarget } from './decider-target.js';
import type { DeciderTarget } from './decider-target.js';
import { ExplainButtons } from './ExplainButtons.js';
import { ExplainPanel } from './ExplainPanel.js';
import { HealthPanel } from './HealthPanel.js';
import { formFromSelection } from './selection-form.js';
import { useExplainStore } from './use-explain.js';
import { useSelectionOrder } from './use-selection-order.js';

export type RuleTarget = Extract<DeciderTarget, { kind: 'rule' }>;

interface Options {
  snapshot: Snapshot | null;
  /** Selects a node and shows it in the inspector. */
  onGo: (id: string) => void;
  /** Opens the rules view on a rule (spec) or a chain (spec null). */
  onRule: (t: RuleTarget) => void;
}

export interface ExplainView {
  open: 'path' | 'health' | null;
  toggleExplain(): void;
  toggleHealth(): void;
  close(): void;
  /** Explain, Health and "Explain these two" for the toolbar. */
  toolbar: React.ReactNode;
  /** The open panel (beside the inspector or rules view, which stay usable). */
  panel: React.ReactNode;
}

/** Everything App needs for issue 7, so App only places it: its panel slot, toolbar buttons, keys. */
export function useExplainView({ snapshot, onGo, onRule }: Options): ExplainView {
  const [open, setOpen] = useState<ExplainView['open']>(null);
  const store = useExplainStore();
  const control = useControlStore();
  const selection = useSelectionOrder();

  const onDecider = useCallback(
    (d: HopDecider) => {
      const t = snapshot ? deciderTarget(snapshot, d) : null;
      if (!t) return control.say('error', 'That rule or route is no longer on this host.');
      if (t.kind === 'rule') onRule(t);
      else onGo(t.id);
    },
    [snapshot, onRule, onGo, control],
  );
  const explainSelection = useCallback(() => {
    if (!snapshot) return;
    const form = formFromSelection(snapshot, selection, store.getState().form ?? defaultForm(snapshot));
    if (!form) return;
    store.setForm(form);
    const check = toParams(form);
    if (check.ok) void store.explain(check.params);
    setOpen('path');
  }, [snapshot, selection, store]);

  const close = useCallback(() => setOpen(null), []);
  const panel =
    snapshot && open === 'path' ? (
      <ExplainPanel snapshot={snapshot} selection={selection} onDecider={onDecider} onClose={close} />
    ) : snapshot && open === 'health' ? (
      <HealthPanel snapshot={snapshot} onGo={onGo} onDecider={onDecider} onClose={close} />
    ) : null;
  return {
    open,
    toggleExplain: () => setOpen((o) => (o === 'path' ? null : 'path')),
    toggleHealth: () => setOpen((o) => (o === 'health' ? null : 'health')),
    close,
    toolbar: <ExplainButtons snapshot={snapshot} selection={selection} onExplain={() => setOpen((o) => (o === 'path' ? null : 'path'))} onHealth={() => setOpen((o) => (o === 'health' ? null : 'health'))} onExplainSelection={explainSelection} />,
    panel,
  };
}
