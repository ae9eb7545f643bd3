import { useMemo } from 'react';
import type { HelperClient, Snapshot } from '../../../protocol/src/index.js';
import { useLiveRules } from './rules/live-counters.js';
import { namespaceName } from '../graph/labels.js';
import { SidePanel } from '../app/SidePanel.js';
import { groupRules } from './group-rules.js';
import { ByHookView } from './rules/ByHookView.js';
import { ByTableView } from './rules/ByTableView.js';
import { coexistByHook } from './rules/hook-order.js';
import { IpRulesView } from './rules/IpRulesView.js';
import { ruleMarks, useRuleMarks } from './rules/rule-marks.js';
import type { MarkTarget, RuleMark, RuleMarksStore } from './rules/rule-marks.js';
import { sourcesHave } from './rules/sources-text.js';
import { useRulesView } from './rules/use-rules-view.js';
import type { RulesViewMode } from './rules/use-rules-view.js';
import './rules/rules.css';

interface Props {
  snapshot: Snapshot;
  nsId: string;
  onNamespace: (nsId: string) => void;
  onClose: () => void;
  /** A rule, chain (spec null) or ip rule to open on and mark, e.g. an explained hop's "decided by". */
  focus?: MarkTarget | undefined;
  /** Marks set from outside the view (default: the page's `ruleMarks`, which the trace probe sets). */
  marksStore?: RuleMarksStore;
  /** The helper connection, for live counters (firewall.counters); absent: the snapshot's figures. */
  client?: () => HelperClient | null;
}

const noClient = (): HelperClient | null => null;

const MODES: [RulesViewMode, string][] = [
  ['table', 'By table'],
  ['hook', 'By hook'],
  ['ipRules', 'ip rules'],
];

/**
 * Every firewall rule of one namespace, from every source (legacy iptables, iptables-nft,
 * nftables): by table, or by hook in the kernel's order; plus its policy routing rules.
 * Counters are read live while the view is open (firewall.counters), laid over the snapshot's rules.
 */
export function RulesPanel({ snapshot, nsId, onNamespace, onClose, focus, marksStore = ruleMarks, client = noClient }: Props) {
  const outside = useRuleMarks(marksStore);
  const marks = useMemo<RuleMark[]>(() => [...(focus ? [{ kind: 'focus' as const, target: focus }] : []), ...outside.filter((m) => m.target.ns === nsId)], [focus, outside, nsId]);
  const rules = useLiveRules(snapshot, nsId, client);
  const { chains, firewallTables, sets } = snapshot;
  // Regrouped when the firewall changes (a patch's new rules and counters), not when a link does.
  const tables = useMemo(() => groupRules({ rules, chains, firewallTables, sets }, nsId), [rules, chains, firewallTables, sets, nsId]);
  const view = useRulesView(tables, marks);
  const coexist = useMemo(() => [...coexistByHook(tables)], [tables]);
  const ns = snapshot.namespaces.find((n) => n.id === nsId);
  return (
    <SidePanel className="rules-panel" label="rules" onClose={onClose}>
      <header className="insp-head">
        <h2>Rules</h2>
        <label className="ns-pick">
          <span className="sr-only">namespace</span>
          <select aria-label="namespace" value={nsId} onChange={(e) => onNamespace(e.target.value)}>
            {snapshot.namespaces.map((n) => (
              <option key={n.id} value={n.id}>
                {namespaceName(n)}
              </option>
            ))}
          </select>
        </label>
      </header>
      <div className="fw-bar">
        <div className="fw-modes" role="group" aria-label="view">
          {MODES.map(([m, label]) => (
            <button key={m} type="button" aria-pressed={view.mode === m} className={view.mode === m ? 'active' : undefined} onClick={() => view.setMode(m)}>
              {label}
            </button>
          ))}
        </div>
        {view.mode !== 'ipRules' ? <input type="search" className="fw-filter" aria-label="filter rules" placeholder="Filter: text, chain, target…" value={view.query} onChange={(e) => view.setQuery(e.target.value)} /> : null}
      </div>
      {/* Header and view switch stay; the tables scroll under them. */}
      <div className="fw-body">
        {ns?.firewallUnread?.length ? (
          <p className="insp-error" role="alert">
            Not read here: {ns.firewallUnread.join('; ')}. Rules of these sources are missing from this view.
          </p>
        ) : null}
        {coexist.length && view.mode === 'table' ? (
          <p className="fw-coexist" role="alert">
            {sourcesHave(coexist.flatMap(([, b]) => b))} rules at {coexist.map(([h]) => h).join(', ')}: at each of these hooks all of them run, and a drop in any is final.{' '}
            <button type="button" className="node-link" onClick={() => view.setMode('hook')}>
              See them by hook
            </button>
          </p>
        ) : null}
        {view.mode === 'ipRules' ? (
          ns ? <IpRulesView ns={ns} marks={marks} /> : null
        ) : tables.length === 0 ? (
          <p className="empty">No firewall rules in this namespace.</p>
        ) : view.mode === 'hook' ? (
          <ByHookView tables={tables} view={view} marks={marks} />
        ) : (
          <ByTableView tables={tables} view={view} marks={marks} />
        )}
      </div>
    </SidePanel>
  );
}
