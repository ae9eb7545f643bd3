import { useState } from 'react';
import type { Snapshot } from '../../../protocol/src/index.js';
import { namespaceName } from '../graph/labels.js';
import { humanBytes, humanCount } from './format.js';
import { groupRules } from './group-rules.js';
import { OwnerBadge } from './OwnerBadge.js';
import { SidePanel } from '../app/SidePanel.js';

interface Props {
  snapshot: Snapshot;
  nsId: string;
  onNamespace: (nsId: string) => void;
  onClose: () => void;
  /** A rule (spec) or chain (spec null) to open on and mark, e.g. from an explained hop. */
  focus?: { table: string; chain: string; spec: string | null } | undefined;
}

/** iptables rules of one namespace as iptables-save spells them, grouped by table and chain. */
export function RulesPanel({ snapshot, nsId, onNamespace, onClose, focus }: Props) {
  const groups = groupRules(snapshot, nsId);
  const [table, setTable] = useState<string | null>(focus?.table ?? null);
  const focused = (chain: string, spec: string | null) => focus !== undefined && focus.chain === chain && focus.spec === spec;
  const reveal = (el: HTMLElement | null) => el?.scrollIntoView?.({ block: 'center' });
  const shown = groups.find((g) => g.table === table) ?? groups[0];
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
      {groups.length === 0 ? <p className="empty">No iptables rules in this namespace.</p> : null}
      <div className="tabs" role="tablist" aria-label="tables">
        {groups.map((g) => (
          <button key={g.table} type="button" role="tab" aria-selected={g === shown} className={g === shown ? 'tab active' : 'tab'} onClick={() => setTable(g.table)}>
            {g.table} <span className="count">{g.chains.reduce((n, c) => n + c.rules.length, 0)}</span>
          </button>
        ))}
      </div>
      {shown ? (
        <div className="chains" role="tabpanel" aria-label={`${shown.table} table`}>
          {shown.chains.map((c) => (
            <section key={c.chain} className={`chain${focused(c.chain, null) ? ' is-focused' : ''}`} aria-label={`chain ${c.chain}`} ref={focused(c.chain, null) ? reveal : undefined}>
              <h3>
                <span className="chain-name">{c.chain}</span>
                {c.policy ? <span className={`policy policy-${c.policy.toLowerCase()}`}>policy {c.policy}</span> : null}
                {c.owner && c.owner !== 'user' ? <OwnerBadge owner={c.owner} /> : null}
                <span className="count">{c.rules.length}</span>
              </h3>
              {c.explanation ? <p className="chain-explanation">{c.explanation}</p> : null}
              {c.rules.length ? (
                <ol className="rules">
                  {c.rules.map((r, k) => (
                    <li key={k} className={focused(c.chain, r.spec) ? 'is-focused' : undefined} aria-current={focused(c.chain, r.spec) ? 'true' : undefined} ref={focused(c.chain, r.spec) ? reveal : undefined}>
                      <OwnerBadge owner={r.owner} />
                      <code className="spec">{r.spec}</code>
                      <span className="rule-counts" title={`${r.packets} packets, ${r.bytes} bytes`}>
                        {humanCount(r.packets)} pkts · {humanBytes(r.bytes)}
                      </span>
                    </li>
                  ))}
                </ol>
              ) : (
                <p className="empty">no rules</p>
              )}
            </section>
          ))}
        </div>
      ) : null}
    </SidePanel>
  );
}
