import type { Chain, Namespace, Notice, Rule } from '../../protocol/src/snapshot.js';
import type { FirewallHook } from '../../protocol/src/firewall.js';
import { iptablesBaseChain } from './hooks.js';

const SOURCE_NAME = { legacy: 'legacy iptables', 'nft-compat': 'iptables-nft', nftables: 'native nftables' } as const;

/**
 * A notice for every namespace where legacy iptables and nftables (iptables-nft or native) both
 * hold rules at one hook: both run, each accept ends only its own chain, and a drop in either is
 * final — the classic "Docker's rules are in one, mine in the other" trap.
 */
export function coexistNotices(namespaces: Namespace[], chains: Chain[], rules: Rule[]): Notice[] {
  const hookOf = new Map<string, FirewallHook>();
  for (const c of chains) {
    const hook = c.hook ?? iptablesBaseChain(c.table, c.chain)?.hook ?? null;
    if (hook) hookOf.set(`${c.ns}|${c.backend}|${c.family}|${c.table}|${c.chain}`, hook);
  }
  const byNs = new Map<string, Map<FirewallHook, Set<keyof typeof SOURCE_NAME>>>();
  for (const r of rules) {
    const hook = hookOf.get(`${r.ns}|${r.backend}|${r.family}|${r.table}|${r.chain}`);
    if (hook === undefined || r.backend === undefined) continue;
    const hooks = byNs.get(r.ns) ?? new Map<FirewallHook, Set<keyof typeof SOURCE_NAME>>();
    byNs.set(r.ns, hooks);
    const set = hooks.get(hook) ?? new Set();
    hooks.set(hook, set);
    set.add(r.backend);
  }
  const out: Notice[] = [];
  for (const [ns, hooks] of byNs) {
    const mixed = [...hooks].filter(([, s]) => s.has('legacy') && s.size > 1);
    if (mixed.length === 0) continue;
    const n = namespaces.find((x) => x.id === ns);
    const where = n?.kind === 'host' ? 'the host' : (n?.name ?? n?.container?.name ?? ns);
    const sources = [...new Set(mixed.flatMap(([, s]) => [...s]))].map((b) => SOURCE_NAME[b]).join(' and ');
    out.push({
      level: 'warning',
      message: `In ${where}, ${sources} both have rules at the ${mixed.map(([h]) => h).join(', ')} hook${mixed.length > 1 ? 's' : ''}: every one of them runs, an accept ends only its own chain and a drop in any is final. Rules view ▸ by hook shows them in the kernel's order.`,
    });
  }
  return out;
}
