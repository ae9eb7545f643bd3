import type { Chain, Rule, Snapshot } from '../../../protocol/src/index.js';

export interface ChainGroup {
  chain: string;
  policy: string | null;
  owner: Chain['owner'] | null;
  /** What the chain is for, when discovery knows (Docker's DOCKER, DOCKER-USER, DOCKER-ISOLATION-STAGE-1/2). */
  explanation: string | null;
  rules: Rule[];
}
export interface TableGroup {
  table: string;
  chains: ChainGroup[];
}

const TABLE_ORDER = ['filter', 'nat', 'mangle', 'raw', 'security'];
const BUILTIN_ORDER = ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'];

const rank = (list: string[], x: string) => {
  const k = list.indexOf(x);
  return k === -1 ? list.length : k;
};

/** A namespace's rules by table, then chain (built-in chains first, in packet order), with each chain's policy. */
export function groupRules(s: Snapshot, nsId: string): TableGroup[] {
  const tables = new Map<string, Map<string, ChainGroup>>();
  const chainOf = (table: string, chain: string) => {
    const t = tables.get(table) ?? tables.set(table, new Map()).get(table);
    if (!t) throw new Error('unreachable');
    let c = t.get(chain);
    if (!c) t.set(chain, (c = { chain, policy: null, owner: null, explanation: null, rules: [] }));
    return c;
  };
  for (const c of s.chains ?? []) {
    if (c.ns !== nsId) continue;
    const g = chainOf(c.table, c.chain);
    g.policy = c.policy;
    g.owner = c.owner;
    g.explanation = c.explanation ?? null;
  }
  for (const r of s.rules) if (r.ns === nsId) chainOf(r.table, r.chain).rules.push(r);
  return [...tables.entries()]
    .sort(([a], [b]) => rank(TABLE_ORDER, a) - rank(TABLE_ORDER, b) || a.localeCompare(b))
    .map(([table, chains]) => ({
      table,
      chains: [...chains.values()].sort((a, b) => rank(BUILTIN_ORDER, a.chain) - rank(BUILTIN_ORDER, b.chain) || a.chain.localeCompare(b.chain)),
    }));
}
