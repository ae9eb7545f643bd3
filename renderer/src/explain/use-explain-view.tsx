import { useCallback, useEffect, useState } from 'react';
import type React from 'react';
import type { HopDecider, Snapshot } from '../../../protocol/src/index.js';
import { useControlStore } from '../control/use-control.js';
import { defaultForm, toParams } from './endpoint-form.js';
import { deciderTarget } from './decider-target.js';
import type { DeciderTarget } from './decider-target.js';
import { ExplainButtons } from './ExplainButtons.js';
import { ExplainPanel } from './ExplainPanel.js';
import { HealthPanel } from './HealthPanel.js';
import { NodeMenu } from './NodeMenu.js';
import type { NodeMenuState } from './NodeMenu.js';
import { endpointLabel, endpointOf, formFromSelection } from './selection-form.js';
import type { EndpointFields } from './endpoint-form.js';
import { useExplainStore } from './use-explain.js';
import { useSelectionOrder } from './use-selection-order.js';

export type RuleTarget = Extract<DeciderTarget, { kind: 'rule' | 'ipRule' }>;
export type RouteTarget = Extract<DeciderTarget, { kind: 'route' }>;

interface Options {
  snapshot: Snapshot | null;
  /** Selects a node and shows it in the inspector. */
  onGo: (id: string) => void;
  /** Opens the rules view on a rule (spec), a chain (spec null) or an ip rule. */
  onRule: (t: RuleTarget) => void;
  /** Opens a route's namespace in the inspector with that route pointed at. */
  onRoute?: (t: RouteTarget) => void;
  /** A new answer was drawn on the canvas: these nodes carry it (the view brings them in). */
  onPath?: (nodeIds: string[]) => void;
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
  /** Right-click on a node (GraphCanvas): the explain menu for it, when it is a namespace or interface. */
  onNodeMenu(id: string, at: { x: number; y: number }): void;
  menu: React.ReactNode;
}

/** Everything App needs for issue 7, so App only places it: its panel slot, toolbar buttons, keys. */
export function useExplainView({ snapshot, onGo, onRule, onRoute, onPath }: Options): ExplainView {
  const [open, setOpen] = useState<ExplainView['open']>(null);
  const store = useExplainStore();
  const control = useControlStore();
  const selection = useSelectionOrder();

  const onDecider = useCallback(
    (d: HopDecider) => {
      const t = snapshot ? deciderTarget(snapshot, d) : null;
      if (!t) return control.say('error', 'That rule or route is no longer on this host.');
      if (t.kind === 'rule' || t.kind === 'ipRule') onRule(t);
      else if (t.kind === 'route') (onRoute ?? ((r: RouteTarget) => onGo(r.ns)))(t);
      else onGo(t.id);
    },
    [snapshot, onRule, onRoute, onGo, control],
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
  // Closing (or switching to Health) forgets the answer, so the next open starts clean.
  useEffect(() => {
    if (open !== 'path') store.clear();
  }, [open, store]);
  const [menu, setMenu] = useState<NodeMenuState | null>(null);
  const onNodeMenu = useCallback(
    (id: string, at: { x: number; y: number }) => {
      const label = snapshot ? endpointLabel(snapshot, id) : null;
      if (label) setMenu({ id, label, ...at });
    },
    [snapshot],
  );
  /** Puts a node on one side of the form; asks at once when the other side is a different place. */
  const pick = (side: 'src' | 'dst', id: string) => {
    if (!snapshot) return;
    const ep = endpointOf(snapshot, id);
    if (!ep) return;
    const form = { ...(store.getState().form ?? defaultForm(snapshot)), [side]: ep };
    store.setForm(form);
    setOpen('path');
    const other: EndpointFields = side === 'src' ? form.dst : form.src;
    const check = toParams(form);
    if (check.ok && !(other.kind === 'ns' && other.ns === ep.ns && other.ip === ep.ip)) void store.explain(check.params);
  };
  const panel =
    snapshot && open === 'path' ? (
      <ExplainPanel snapshot={snapshot} selection={selection} onDecider={onDecider} onGo={onGo} onClose={close} onPath={onPath} />
    ) : snapshot && open === 'health' ? (
      <HealthPanel snapshot={snapshot} onGo={onGo} onDecider={onDecider} onClose={close} />
    ) : null;
  return {
    open,
    onNodeMenu,
    menu: menu ? <NodeMenu menu={menu} onFrom={() => pick('src', menu.id)} onTo={() => pick('dst', menu.id)} onPair={snapshot && formFromSelection(snapshot, selection, defaultForm(snapshot)) ? explainSelection : null} onClose={() => setMenu(null)} /> : null,
    toggleExplain: () => setOpen((o) => (o === 'path' ? null : 'path')),
    toggleHealth: () => setOpen((o) => (o === 'health' ? null : 'health')),
    close,
    toolbar: <ExplainButtons snapshot={snapshot} selection={selection} onExplain={() => setOpen((o) => (o === 'path' ? null : 'path'))} onHealth={() => setOpen((o) => (o === 'health' ? null : 'health'))} onExplainSelection={explainSelection} />,
    panel,
  };
}
