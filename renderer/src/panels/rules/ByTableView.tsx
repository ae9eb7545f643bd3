import { useMemo, useState } from 'react';
import type { KeyboardEvent } from 'react';
import type { TableGroup } from '../group-rules.js';
import { OwnerBadge } from '../OwnerBadge.js';
import { ChainSection } from './ChainSection.js';
import { chainMark, ruleMark } from './mark-match.js';
import type { RuleMark } from './rule-marks.js';
import { filterChain } from './rule-filter.js';
import { SetList } from './SetList.js';
import { SOURCE_HINT, SOURCE_LABEL, sourceOf, tableLabel, tableWithSource } from './source-labels.js';
import { LARGE } from './use-rules-view.js';
import type { RulesView } from './use-rules-view.js';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Chains drawn at once in one table (firewalld writes a hundred; kube-proxy thousands). */
export const CHAINS_SHOWN = 150;

/** "By table": the tables of every source as tabs, grouped by source; one table's chains and sets. */
export function ByTableView({ tables, view, marks }: { tables: TableGroup[]; view: RulesView; marks: readonly RuleMark[] }) {
  const sources = useMemo(() => {
    const by = new Map<ReturnType<typeof sourceOf>, TableGroup[]>();
    for (const t of tables) by.set(sourceOf(t.ref.backend), [...(by.get(sourceOf(t.ref.backend)) ?? []), t]);
    return [...by];
  }, [tables]);
  const shown = view.table;
  // Arrow keys move between tables (the tablist pattern); Tab leaves the list.
  const onKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const k = tables.findIndex((t) => t.key === shown?.key);
    const next = e.key === 'ArrowRight' ? tables[k + 1] : e.key === 'ArrowLeft' ? tables[k - 1] : e.key === 'Home' ? tables[0] : e.key === 'End' ? tables[tables.length - 1] : undefined;
    if (!next) return;
    e.preventDefault();
    view.setTable(next.key);
    // The tabs are in the tables' order (sources group tables that are already sorted by source).
    e.currentTarget.querySelectorAll<HTMLElement>('[role="tab"]')[tables.indexOf(next)]?.focus();
  };
  return (
    <>
      <div className="tabs fw-tabs" role="tablist" aria-label="tables" onKeyDown={onKey}>
        {sources.map(([src, ts]) => (
          <div key={src} className="fw-source" role="presentation">
            <span className="fw-source-name" title={SOURCE_HINT[src]}>
              {SOURCE_LABEL[src]}
            </span>
            {ts.map((t) => (
              <button
                key={t.key}
                type="button"
                role="tab"
                aria-selected={t === shown}
                tabIndex={t === shown ? 0 : -1}
                aria-label={`${tableWithSource(t.ref)}, ${t.ruleCount} rules`}
                className={`tab${t === shown ? ' active' : ''}${t.ruleCount === 0 ? ' is-empty' : ''}`}
                onClick={() => view.setTable(t.key)}
              >
                {tableLabel(t.ref)} <span className="count">{t.ruleCount}</span>
              </button>
            ))}
          </div>
        ))}
      </div>
      {shown ? <TableBody key={shown.key} table={shown} view={view} marks={marks} /> : null}
    </>
  );
}

function TableBody({ table, view, marks }: { table: TableGroup; view: RulesView; marks: readonly RuleMark[] }) {
  const names = useMemo(() => new Set(table.chains.map((c) => c.chain)), [table]);
  const sets = useMemo(() => new Map(table.sets.map((s) => [s.name, s])), [table]);
  const large = table.ruleCount > LARGE;
  const listed = table.chains.map((c) => ({ c, rules: filterChain(c, view.query) })).filter((x) => x.rules !== null);
  const needed = Math.max(CHAINS_SHOWN, ...listed.map((x, k) => (view.revealed?.key === x.c.key || chainMark(marks, x.c) || x.c.rules.some((r) => ruleMark(marks, r)) ? k + 1 : 0)));
  const [limit, setLimit] = useState(needed);
  const cap = Math.max(limit, needed);
  const onJump = (chain: string) => view.openChain(table, chain);
  return (
    <div className="chains" role="tabpanel" aria-label={`${tableWithSource(table.ref)} table`}>
      <p className="fw-table-head">
        <span className="fw-source-chip" title={SOURCE_HINT[sourceOf(table.ref.backend)]}>
          {SOURCE_LABEL[sourceOf(table.ref.backend)]}
        </span>
        <code>{tableLabel(table.ref)}</code>
        {table.ref.backend === 'nftables' && table.owner ? <OwnerBadge owner={table.owner} why={table.ownerWhy} /> : table.ownerWhy ? <span className="dim">{table.ownerWhy};</span> : null}
        <span className="dim">
          {plural(table.chains.length, 'chain')} · {plural(table.ruleCount, 'rule')}
          {table.sets.length ? ` · ${plural(table.sets.length, 'set')}` : ''}
        </span>
      </p>
      {listed.length === 0 ? <p className="empty">{view.query ? `No rule in this table matches “${view.query}”.` : 'No chains in this table.'}</p> : null}
      {listed.slice(0, cap).map(({ c, rules }) => (
        <ChainSection
          key={c.key}
          chain={c}
          rules={rules ?? []}
          open={view.isOpen(c, large)}
          onToggle={() => view.toggle(c, large)}
          chainMark={chainMark(marks, c)}
          markOf={(r) => ruleMark(marks, r)}
          chains={names}
          sets={sets}
          onJump={onJump}
          label={`chain ${c.chain}`}
          tableOwner={table.ref.backend === 'nftables' ? table.owner : null}
          reveal={view.revealed?.key === c.key ? view.revealed.seq : 0}
        />
      ))}
      {listed.length > cap ? (
        <button type="button" className="fw-more" onClick={() => setLimit(cap + CHAINS_SHOWN * 4)}>
          Show {Math.min(CHAINS_SHOWN * 4, listed.length - cap)} more of {listed.length} chains
        </button>
      ) : null}
      <SetList sets={table.sets} chains={names} onJump={onJump} />
    </div>
  );
}
