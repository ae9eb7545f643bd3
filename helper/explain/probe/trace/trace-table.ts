import type { NftChain } from '../../../firewall/nft-json.js';
import { familyOf } from '../../../net/ip-addr.js';
import type { TraceScope, TraceTuple } from './trace-scope.js';

/**
 * The temporary table that turns tracing on for the probe's packets only, in one namespace:
 *
 *   create table inet netloom-trace { flags owner; }; add chain inet netloom-trace prerouting { type filter
 *   hook prerouting priority -350; policy accept; }; add chain … output …; add rule inet netloom-trace
 *   prerouting ip saddr 10.0.1.2 ip daddr 10.0.2.2 meta l4proto tcp th dport 80 meta nftrace set 1; …
 *
 * One line, so `nft -i` runs it as one transaction: `create` fails when the table exists, and then
 * nothing of it is added to someone else's table. `flags owner` ties the table to the netlink socket
 * of the `nft -i` that made it: when that process ends — asked to, cancelled, or killed with the
 * helper — the kernel removes the table, and no other process may change it meanwhile. Its chains
 * run before every other chain of their hook (raw is −300, conntrack −200): a mark set there
 * follows the packet through every later chain, hook and table of the namespace.
 */
export const TRACE_TABLE = 'netloom-trace';
export const TRACE_FAMILY = 'inet';
const DEFAULT_PRIORITY = -350;

/** Before every base chain of these hooks that nft already holds here. */
export function tracePriority(chains: readonly NftChain[]): number {
  const lowest = chains.filter((c) => (c.hook === 'prerouting' || c.hook === 'output') && c.prio !== undefined && c.table !== TRACE_TABLE).map((c) => c.prio as number);
  return Math.min(DEFAULT_PRIORITY, ...lowest.map((p) => p - 1));
}

function match(scope: TraceScope, t: TraceTuple, dir: 'request' | 'response'): string | null {
  const fam = familyOf(t.src);
  if (fam === null || fam !== familyOf(t.dst)) return null;
  const ip = fam === 6 ? 'ip6' : 'ip';
  const addrs = `${ip} saddr ${t.src} ${ip} daddr ${t.dst}`;
  if (scope.proto === 'icmp') return `${addrs} ${fam === 6 ? 'icmpv6' : 'icmp'} type ${dir === 'request' ? 'echo-request' : 'echo-reply'}`;
  const port = t.port === null ? '' : ` th ${dir === 'request' ? 'dport' : 'sport'} ${t.port}`;
  return `${addrs} meta l4proto ${scope.proto}${port}`;
}

/** The matches, one per tuple and direction (addresses are netloom's own parsed ones: no user text reaches nft). */
export function traceMatches(scope: TraceScope): string[] {
  const out: string[] = [];
  for (const [dir, list] of [['request', scope.request], ['response', scope.response]] as const) {
    for (const t of list) {
      const m = match(scope, t, dir);
      if (m !== null && !out.includes(m)) out.push(m);
    }
  }
  return out;
}

/** The one-line transaction that makes the table. */
export function traceTableScript(scope: TraceScope, priority: number): string {
  const t = `${TRACE_FAMILY} ${TRACE_TABLE}`;
  const cmds = [
    `create table ${t} { flags owner; }`,
    `add chain ${t} prerouting { type filter hook prerouting priority ${priority}; policy accept; }`,
    `add chain ${t} output { type filter hook output priority ${priority}; policy accept; }`,
  ];
  for (const m of traceMatches(scope)) for (const chain of ['prerouting', 'output']) cmds.push(`add rule ${t} ${chain} ${m} meta nftrace set 1`);
  return cmds.join('; ');
}
