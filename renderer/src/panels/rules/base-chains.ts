import type { FirewallHook } from '../../../../protocol/src/index.js';

/**
 * Where a base chain sits in netfilter: its hook and priority, and how a priority reads. The
 * kernel calls every base chain of a hook, lowest priority first. Copied from
 * helper/firewall/hooks.ts (the renderer does not import the helper); an older snapshot's
 * iptables chains carry no hook, so the built-in ones are placed here the way x_tables does.
 */
export const IP_HOOKS: FirewallHook[] = ['prerouting', 'input', 'forward', 'output', 'postrouting'];
export const HOOK_ORDER: FirewallHook[] = ['ingress', ...IP_HOOKS, 'egress'];

const TABLE_PRIORITY: Record<string, number> = { raw: -300, mangle: -150, nat: -100, filter: 0, security: 50 };
const TABLE_CHAINS: Record<string, string[]> = {
  raw: ['PREROUTING', 'OUTPUT'],
  mangle: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
  security: ['INPUT', 'FORWARD', 'OUTPUT'],
};

/** An iptables table's built-in chain as a base chain; null for a user chain. */
export function iptablesBaseChain(table: string, chain: string): { hook: FirewallHook; priority: number; type: string } | null {
  if (!(TABLE_CHAINS[table] ?? []).includes(chain)) return null;
  const hook = chain.toLowerCase() as FirewallHook;
  // nat's source-NAT chains (postrouting, input) run at srcnat (100), its destination-NAT ones at dstnat (-100).
  if (table === 'nat') return { hook, priority: hook === 'postrouting' || hook === 'input' ? 100 : -100, type: 'nat' };
  return { hook, priority: TABLE_PRIORITY[table] ?? 0, type: table === 'mangle' && hook === 'output' ? 'route' : 'filter' };
}

/** nft's named priorities, as `nft -j` prints them: numbers. */
const PRIORITY_NAMES: [string, number][] = [['raw', -300], ['mangle', -150], ['dstnat', -100], ['filter', 0], ['security', 50], ['srcnat', 100]];

/** A priority as nft would name it: `filter`, `dstnat - 10`, or null when no name is near. */
export function priorityName(p: number, hook: FirewallHook | null): string | null {
  for (const [name, base] of PRIORITY_NAMES) {
    // dstnat is a prerouting/output name, srcnat a postrouting/input one.
    if (name === 'dstnat' && hook === 'postrouting') continue;
    if (name === 'srcnat' && hook !== 'postrouting' && hook !== 'input') continue;
    const d = p - base;
    if (d === 0) return name;
    if (Math.abs(d) <= 10) return `${name} ${d > 0 ? '+' : '-'} ${Math.abs(d)}`;
  }
  return null;
}

/** "dstnat (-100)", "mangle + 10 (-140)", "-200". */
export function priorityText(p: number, hook: FirewallHook | null): string {
  const name = priorityName(p, hook);
  return name === null ? String(p) : `${name} (${p})`;
}
