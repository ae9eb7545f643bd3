import type { FirewallHook } from '../../protocol/src/firewall.js';

/**
 * Where iptables' built-in chains sit in netfilter. x_tables (legacy) registers each table's
 * chains at fixed priorities; iptables-nft creates base chains with the same priorities; native
 * nftables chains say their own. The kernel calls every base chain of a hook in priority order.
 */
export const TABLE_PRIORITY: Record<string, number> = { raw: -300, mangle: -150, nat: -100, filter: 0, security: 50 };
/** nat's source-NAT chains run after filter (srcnat, 100); its destination-NAT chains before (dstnat, -100). */
export const SRCNAT = 100;
export const DSTNAT = -100;

const BUILTIN_HOOK: Record<string, FirewallHook> = {
  PREROUTING: 'prerouting',
  INPUT: 'input',
  FORWARD: 'forward',
  OUTPUT: 'output',
  POSTROUTING: 'postrouting',
};

/** Which chains of which iptables table are base chains (a table only has these). */
const TABLE_CHAINS: Record<string, string[]> = {
  raw: ['PREROUTING', 'OUTPUT'],
  mangle: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
  security: ['INPUT', 'FORWARD', 'OUTPUT'],
};

/** An iptables table's built-in chain as a base chain: its hook, priority and type; null for a user chain. */
export function iptablesBaseChain(table: string, chain: string): { hook: FirewallHook; priority: number; type: 'filter' | 'nat' | 'route' } | null {
  if (!(TABLE_CHAINS[table] ?? []).includes(chain)) return null;
  const hook = BUILTIN_HOOK[chain];
  if (hook === undefined) return null;
  if (table === 'nat') return { hook, priority: hook === 'postrouting' || hook === 'input' ? SRCNAT : DSTNAT, type: 'nat' };
  // mangle OUTPUT re-routes a packet whose mark or addresses it changed (nft's `type route`).
  return { hook, priority: TABLE_PRIORITY[table] ?? 0, type: table === 'mangle' && hook === 'output' ? 'route' : 'filter' };
}

/** nft's named priorities (`priority dstnat`), as `nft -j` prints them: numbers. */
export const PRIORITY_NAMES: Record<string, number> = { raw: -300, mangle: -150, dstnat: -100, filter: 0, security: 50, srcnat: 100 };

/** How a priority reads in the rules view: `filter`, `dstnat + 10`, `-110`. */
export function priorityText(p: number, hook: FirewallHook | null): string {
  const names = Object.entries(PRIORITY_NAMES).filter(([n]) => (n === 'dstnat' ? hook !== 'postrouting' : n === 'srcnat' ? hook === 'postrouting' || hook === 'input' : true));
  for (const [name, base] of names) {
    const d = p - base;
    if (d === 0) return name;
    if (Math.abs(d) <= 10) return `${name} ${d > 0 ? '+' : '-'} ${Math.abs(d)}`;
  }
  return String(p);
}
