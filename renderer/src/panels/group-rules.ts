import type { Chain, FirewallHook, FirewallSet, Rule, RuleOwner, Snapshot } from '../../../protocol/src/index.js';
import { iptablesBaseChain } from './rules/base-chains.js';
import { orderChains } from './rules/chain-order.js';
import { chainKey, tableKey, tableRefOf } from './rules/rule-ref.js';
import type { TableRef } from './rules/rule-ref.js';
import { SOURCE_ORDER, sourceOf } from './rules/source-labels.js';

export interface ChainGroup {
  key: string;
  ref: TableRef;
  chain: string;
  policy: string | null;
  owner: Chain['owner'] | null;
  /** What the chain is for, when discovery knows (Docker's DOCKER, DOCKER-USER, DOCKER-ISOLATION-STAGE-1/2). */
  explanation: string | null;
  /** A base chain's place in netfilter; null for a chain only reached by jump or goto. */
  hook: FirewallHook | null;
  priority: number | null;
  type: string | null;
  /** The policy's counters (iptables' built-in chains). */
  packets: number;
  bytes: number;
  rules: Rule[];
}

export interface TableGroup {
  key: string;
  ref: TableRef;
  /** The table's name (`filter`, `docker-bridges`); `ref` says which source and family. */
  table: string;
  owner: RuleOwner | null;
  ownerWhy: string | null;
  chains: ChainGroup[];
  ruleCount: number;
  /** nftables sets, maps and verdict maps of this table. */
  sets: FirewallSet[];
}

const TABLE_ORDER = ['filter', 'nat', 'mangle', 'raw', 'security'];
const rank = (list: readonly string[], x: string): number => {
  const k = list.indexOf(x);
  return k === -1 ? list.length : k;
};

/**
 * A namespace's firewall by table — every table of every source (legacy iptables, iptables-nft,
 * nftables), each with its chains (in the order a packet meets them: chain-order.ts) and rules;
 * sets go with their table. Sources come legacy, iptables-nft,
 * nftables; iptables tables filter, nat, mangle, raw; nftables ones as listed.
 */
export function groupRules(s: Pick<Snapshot, 'rules' | 'chains' | 'firewallTables' | 'sets'>, nsId: string): TableGroup[] {
  const tables = new Map<string, TableGroup>();
  const tableOf = (ref: TableRef): TableGroup => {
    const key = tableKey(ref);
    let t = tables.get(key);
    if (!t) tables.set(key, (t = { key, ref, table: ref.table, owner: null, ownerWhy: null, chains: [], ruleCount: 0, sets: [] }));
    return t;
  };
  const chains = new Map<string, ChainGroup>();
  const chainOf = (ref: TableRef, chain: string): ChainGroup => {
    const key = chainKey(ref, chain);
    let c = chains.get(key);
    if (!c) {
      const base = ref.backend === 'nftables' ? null : iptablesBaseChain(ref.table, chain);
      c = { key, ref, chain, policy: null, owner: null, explanation: null, hook: base?.hook ?? null, priority: base?.priority ?? null, type: base?.type ?? null, packets: 0, bytes: 0, rules: [] };
      chains.set(key, c);
      tableOf(ref).chains.push(c);
    }
    return c;
  };
  for (const t of s.firewallTables ?? []) {
    if (t.ns !== nsId) continue;
    const g = tableOf(tableRefOf({ ...t, table: t.name }));
    g.owner = t.owner;
    g.ownerWhy = t.ownerWhy ?? null;
  }
  for (const c of s.chains ?? []) {
    if (c.ns !== nsId) continue;
    const g = chainOf(tableRefOf(c), c.chain);
    g.policy = c.policy;
    g.owner = c.owner;
    g.explanation = c.explanation ?? null;
    g.packets = c.packets;
    g.bytes = c.bytes;
    if (c.hook !== undefined) {
      g.hook = c.hook;
      g.priority = c.priority ?? null;
      g.type = c.type ?? null;
    }
  }
  for (const r of s.rules) {
    if (r.ns !== nsId) continue;
    const ref = tableRefOf(r);
    chainOf(ref, r.chain).rules.push(r);
    tableOf(ref).ruleCount++;
  }
  for (const set of s.sets ?? []) if (set.ns === nsId) tableOf({ ns: nsId, backend: 'nftables', family: set.family, table: set.table }).sets.push(set);
  const listed = [...tables.values()];
  const isIptables = (t: TableGroup) => t.ref.backend !== 'nftables';
  return listed
    .sort(
      (a, b) =>
        rank(SOURCE_ORDER, sourceOf(a.ref.backend)) - rank(SOURCE_ORDER, sourceOf(b.ref.backend)) ||
        (isIptables(a) ? rank(['ip', 'ip6'], a.ref.family) - rank(['ip', 'ip6'], b.ref.family) || rank(TABLE_ORDER, a.table) - rank(TABLE_ORDER, b.table) : 0) ||
        listed.indexOf(a) - listed.indexOf(b),
    )
    .map((t) => ({ ...t, chains: orderChains(t.chains, t.sets) }));
}
