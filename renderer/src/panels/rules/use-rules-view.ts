import { useCallback, useEffect, useRef, useState } from 'react';
import type { ChainGroup, TableGroup } from '../group-rules.js';
import { marksChain, markedTable } from './mark-match.js';
import type { RuleMark } from './rule-marks.js';

export type RulesViewMode = 'table' | 'hook' | 'ipRules';

/** Above this many rules in a view, chains start closed (base chains of up to OPEN_BASE rules stay open). */
export const LARGE = 400;
const OPEN_BASE = 100;

export interface RulesView {
  mode: RulesViewMode;
  setMode(m: RulesViewMode): void;
  table: TableGroup | null;
  setTable(key: string): void;
  query: string;
  setQuery(q: string): void;
  packet: 4 | 6;
  setPacket(p: 4 | 6): void;
  isOpen(c: ChainGroup, large: boolean): boolean;
  toggle(c: ChainGroup, large: boolean): void;
  /** Opens a chain (a jump's target) in the by-table view and brings it into view. */
  openChain(table: TableGroup, chain: string): void;
  /** A counter per chain key, bumped each time the chain is jumped to (its section scrolls and takes focus). */
  revealed: { key: string; seq: number } | null;
}

/** What the rules view shows: which view and table, which chains are open, the filter. */
export function useRulesView(tables: TableGroup[], marks: readonly RuleMark[]): RulesView {
  const [mode, setMode] = useState<RulesViewMode>(() => (marks.some((m) => m.target.kind === 'ipRule') && !marks.some((m) => m.target.kind === 'rule') ? 'ipRules' : 'table'));
  const [tableKey, setTableKey] = useState<string | null>(() => markedTable(marks, tables)?.key ?? null);
  const [toggled, setToggled] = useState<ReadonlyMap<string, boolean>>(new Map());
  const [query, setQuery] = useState('');
  const [packet, setPacket] = useState<4 | 6>(4);
  const [revealed, setRevealed] = useState<RulesView['revealed']>(null);

  // A mark set from outside while the view is open (a trace probe's answer) shows its place.
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const last = marks[marks.length - 1];
    if (!last) return;
    if (last.target.kind === 'ipRule') return setMode('ipRules');
    const t = markedTable([last], tables);
    if (t) {
      setMode('table');
      setTableKey(t.key);
    }
    // Only a change of marks moves the view; a counter patch (new `tables`) must not.
  }, [marks]);

  const isOpen = useCallback(
    (c: ChainGroup, large: boolean) => toggled.get(c.key) ?? (query.trim() !== '' || !large || marksChain(marks, c) || (c.hook !== null && c.rules.length <= OPEN_BASE)),
    [toggled, query, marks],
  );
  const toggle = useCallback((c: ChainGroup, large: boolean) => setToggled((m) => new Map(m).set(c.key, !isOpen(c, large))), [isOpen]);
  const openChain = useCallback((table: TableGroup, chain: string) => {
    const c = table.chains.find((x) => x.chain === chain);
    if (!c) return;
    setMode('table');
    setTableKey(table.key);
    setQuery('');
    setToggled((m) => new Map(m).set(c.key, true));
    setRevealed((r) => ({ key: c.key, seq: (r?.seq ?? 0) + 1 }));
  }, []);
  const table = tables.find((t) => t.key === tableKey) ?? tables.find((t) => t.ruleCount > 0) ?? tables[0] ?? null;
  return { mode, setMode, table, setTable: setTableKey, query, setQuery, packet, setPacket, isOpen, toggle, openChain, revealed };
}
