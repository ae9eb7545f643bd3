import type { FirewallBackend, FirewallFamily, FirewallHook } from '../../../../protocol/src/index.js';
import type { ChainGroup, TableGroup } from '../group-rules.js';
import { HOOK_ORDER, IP_HOOKS } from './base-chains.js';

export interface HookEntry {
  chain: ChainGroup;
  table: TableGroup;
  priority: number;
  /** Same priority as the entry before: the kernel runs the one registered later first, and no listing says which that is. */
  tie: boolean;
}

export interface HookGroup {
  hook: FirewallHook;
  /** `ip` for the IP hooks (ip, ip6 and inet tables), else the family whose own hooks these are (bridge, arp, netdev). */
  family: 'ip' | 'bridge' | 'arp' | 'netdev';
  entries: HookEntry[];
  /** Legacy iptables and another source both have rules here (the same test as the snapshot's notice). */
  coexist: FirewallBackend[] | null;
}

/** Which table families an IPv4 or IPv6 packet meets at the IP hooks. */
const SEES: Record<4 | 6, FirewallFamily[]> = { 4: ['ip', 'inet'], 6: ['ip6', 'inet'] };

/**
 * The kernel's order: for each hook, every base chain of every source, lowest priority first.
 * The IP hooks show the chains an IPv4 (or IPv6) packet meets; bridge, arp and netdev tables have
 * hooks of their own (a bridged frame's, ARP's, a device's ingress/egress) and come after.
 */
export function byHook(tables: TableGroup[], packet: 4 | 6): HookGroup[] {
  const groups = new Map<string, HookGroup>();
  const coexist = coexistByHook(tables);
  for (const table of tables) {
    const ip = table.ref.family === 'ip' || table.ref.family === 'ip6' || table.ref.family === 'inet';
    if (ip && !SEES[packet].includes(table.ref.family)) continue;
    const family = ip ? 'ip' : (table.ref.family as HookGroup['family']);
    for (const chain of table.chains) {
      if (chain.hook === null) continue;
      const key = `${family}|${chain.hook}`;
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { hook: chain.hook, family, entries: [], coexist: family === 'ip' ? (coexist.get(chain.hook) ?? null) : null }));
      g.entries.push({ chain, table, priority: chain.priority ?? 0, tie: false });
    }
  }
  const famRank = (f: HookGroup['family']) => ['ip', 'bridge', 'arp', 'netdev'].indexOf(f);
  const out = [...groups.values()].sort((a, b) => famRank(a.family) - famRank(b.family) || HOOK_ORDER.indexOf(a.hook) - HOOK_ORDER.indexOf(b.hook));
  for (const g of out) {
    g.entries.sort((a, b) => a.priority - b.priority);
    g.entries.forEach((e, k) => (e.tie = k > 0 && g.entries[k - 1]?.priority === e.priority));
  }
  // Every IP hook is listed, even with no chain: "nothing filters here" is an answer too.
  for (const hook of IP_HOOKS) if (!out.some((g) => g.family === 'ip' && g.hook === hook)) out.push({ hook, family: 'ip', entries: [], coexist: null });
  return out.sort((a, b) => famRank(a.family) - famRank(b.family) || HOOK_ORDER.indexOf(a.hook) - HOOK_ORDER.indexOf(b.hook));
}

/**
 * The hooks where legacy iptables holds rules next to another source (iptables-nft or native
 * nftables): both run, an accept ends only its own chain, a drop in either is final. The same
 * test as helper/firewall/coexist.ts, so the view names the hooks the snapshot's notice does.
 */
export function coexistByHook(tables: TableGroup[]): Map<FirewallHook, FirewallBackend[]> {
  const at = new Map<FirewallHook, Set<FirewallBackend>>();
  for (const t of tables) {
    if (t.ref.backend === null) continue;
    for (const c of t.chains) {
      if (c.hook === null || c.rules.length === 0) continue;
      const set = at.get(c.hook) ?? new Set<FirewallBackend>();
      at.set(c.hook, set.add(t.ref.backend));
    }
  }
  const out = new Map<FirewallHook, FirewallBackend[]>();
  for (const [hook, set] of at) if (set.has('legacy') && set.size > 1) out.set(hook, [...set]);
  return out;
}
