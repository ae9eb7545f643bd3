import { useMemo } from 'react';
import type { FirewallSet } from '../../../../protocol/src/index.js';
import type { TableGroup } from '../group-rules.js';
import { OwnerBadge } from '../OwnerBadge.js';
import { priorityText } from './base-chains.js';
import { ChainSection } from './ChainSection.js';
import { byHook } from './hook-order.js';
import type { HookGroup } from './hook-order.js';
import { chainMark, ruleMark } from './mark-match.js';
import type { RuleMark } from './rule-marks.js';
import { filterChain } from './rule-filter.js';
import { SOURCE_HINT, SOURCE_LABEL, sourceOf, tableLabel, tableWithSource } from './source-labels.js';
import { sourcesHave } from './sources-text.js';
import { LARGE } from './use-rules-view.js';
import type { RulesView } from './use-rules-view.js';

const FAMILY_NOTE: Record<HookGroup['family'], string> = {
  ip: '',
  bridge: 'bridge family: frames a bridge forwards',
  arp: 'arp family',
  netdev: 'netdev family: one device, before (ingress) or after (egress) everything else',
};

/**
 * "By hook": the kernel's order. For each hook, every base chain of every source, lowest priority
 * first — legacy iptables, iptables-nft and nftables side by side — with what that order means.
 */
export function ByHookView({ tables, view, marks }: { tables: TableGroup[]; view: RulesView; marks: readonly RuleMark[] }) {
  const hooks = useMemo(() => byHook(tables, view.packet), [tables, view.packet]);
  const names = useMemo(() => new Map(tables.map((t) => [t.key, new Set(t.chains.map((c) => c.chain))])), [tables]);
  const sets = useMemo(() => new Map(tables.map((t) => [t.key, new Map<string, FirewallSet>(t.sets.map((s) => [s.name, s]))])), [tables]);
  const large = hooks.reduce((n, h) => n + h.entries.reduce((m, e) => m + e.chain.rules.length, 0), 0) > LARGE;
  return (
    <div className="fw-hooks">
      <p className="fw-hook-note" role="note" aria-label="how the kernel runs a hook">
        At each hook the kernel runs every base chain below, lowest priority first, whichever tool made it. An <b>accept</b> ends only its own chain — the packet goes on to the next one; a <b>drop</b> (or reject) in any of them is final. “=” marks a chain at the same priority as the one above: which of them runs first, no listing says; the verdict does not depend on it.
      </p>
      <div className="fw-packet" role="radiogroup" aria-label="packet family">
        {([4, 6] as const).map((p) => (
          <label key={p}>
            <input type="radio" name="fw-packet" checked={view.packet === p} onChange={() => view.setPacket(p)} /> IPv{p} packet
          </label>
        ))}
      </div>
      {hooks.map((h) => (
        <section key={`${h.family} ${h.hook}`} className="fw-hook" aria-label={`hook ${h.family === 'ip' ? '' : `${h.family} `}${h.hook}`}>
          <h3 className="fw-hook-name">
            {h.family === 'ip' ? h.hook : `${h.family} ${h.hook}`}
            {FAMILY_NOTE[h.family] ? <span className="dim"> · {FAMILY_NOTE[h.family]}</span> : null}
          </h3>
          {h.coexist ? (
            <p className="fw-coexist" role="alert">
              {sourcesHave(h.coexist)} rules at {h.hook}: every one of these chains runs; an accept in one does not skip the others, and a drop in any is final.
            </p>
          ) : null}
          {h.entries.length === 0 ? <p className="empty">No base chain at this hook: nothing filters here.</p> : null}
          {h.entries.map((e) => {
            const rules = filterChain(e.chain, view.query);
            if (rules === null) return null;
            const label = `${tableWithSource(e.table.ref)} ${e.chain.chain}`;
            return (
              <ChainSection
                key={e.chain.key}
                chain={e.chain}
                rules={rules}
                open={view.isOpen(e.chain, large)}
                onToggle={() => view.toggle(e.chain, large)}
                chainMark={chainMark(marks, e.chain)}
                markOf={(r) => ruleMark(marks, r)}
                chains={names.get(e.table.key) ?? new Set()}
                sets={sets.get(e.table.key) ?? new Map()}
                onJump={(c) => view.openChain(e.table, c)}
                label={label}
                tableOwner={e.table.ref.backend === 'nftables' ? e.table.owner : null}
                ownerBadge={e.table.ref.backend === 'nftables' && e.table.owner ? <OwnerBadge owner={e.table.owner} why={e.table.ownerWhy} /> : undefined}
                lead={
                  <>
                    <span className="fw-prio" title={e.tie ? 'Same priority as the chain above: the kernel runs the one registered later first, and no listing says which that is. The verdict does not depend on it.' : `priority ${e.priority}`}>
                      {e.tie ? '= ' : ''}
                      {priorityText(e.priority, e.chain.hook)}
                    </span>
                    <span className={`fw-source-chip src-${sourceOf(e.table.ref.backend)}`} title={SOURCE_HINT[sourceOf(e.table.ref.backend)]}>
                      {SOURCE_LABEL[sourceOf(e.table.ref.backend)]}
                    </span>
                    <code className="fw-table-name">{tableLabel(e.table.ref)}</code>
                  </>
                }
              />
            );
          })}
        </section>
      ))}
    </div>
  );
}
