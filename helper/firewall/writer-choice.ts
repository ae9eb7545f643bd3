import type { FirewallTable } from '../../protocol/src/firewall.js';
import type { Chain, Rule } from '../../protocol/src/snapshot.js';

/**
 * Where netloom writes its own rules in a namespace (issue 12): where the namespace's firewall
 * lives. Its own `inet netloom` table when the firewall is native nftables (a host with only
 * nftables tables, or no iptables at all); its NETLOOM-* iptables chains otherwise, as always.
 * Once netloom has written one way it keeps to it, so `rule.remove` and undo find their rules.
 */
export type Writer = 'iptables' | 'nftables';
export const NETLOOM_TABLE = { family: 'inet', name: 'netloom' } as const;

export interface WriterFacts {
  tables: FirewallTable[];
  rules: Rule[];
  chains: Chain[];
  /** Whether iptables-restore can run here (false: not installed). */
  iptablesAvailable?: boolean;
}

export function chooseWriter(f: WriterFacts, override: string | undefined = process.env.NETLOOM_FIREWALL): Writer {
  if (override === 'iptables' || override === 'nftables') return override;
  if (f.tables.some((t) => t.backend === 'nftables' && t.family === NETLOOM_TABLE.family && t.name === NETLOOM_TABLE.name)) return 'nftables';
  const ipt = (x: { backend?: string | undefined }): boolean => x.backend !== 'nftables';
  if (f.chains.some((c) => ipt(c) && c.chain.startsWith('NETLOOM-'))) return 'iptables';
  if (f.iptablesAvailable === false) return 'nftables';
  const native = f.tables.filter((t) => t.backend === 'nftables');
  return native.length > 0 && !f.rules.some(ipt) ? 'nftables' : 'iptables';
}
