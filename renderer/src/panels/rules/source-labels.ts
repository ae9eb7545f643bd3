import type { FirewallBackend, RuleOwner } from '../../../../protocol/src/index.js';
import type { TableRef } from './rule-ref.js';

type Source = FirewallBackend | 'iptables';
export const sourceOf = (b: FirewallBackend | null): Source => b ?? 'iptables';

/** The three places Linux keeps packet filter rules (and an older snapshot's plain "iptables"). */
export const SOURCE_LABEL: Record<Source, string> = {
  legacy: 'legacy iptables',
  'nft-compat': 'iptables-nft',
  nftables: 'nftables',
  iptables: 'iptables',
};

/** What each source is and which command lists it: the tooltip of its heading. */
export const SOURCE_HINT: Record<Source, string> = {
  legacy: 'x_tables in the kernel, written by iptables-legacy; iptables-legacy-save lists them.',
  'nft-compat': 'iptables rules kept inside nftables by iptables-nft; iptables-nft-save lists them.',
  nftables: 'native nftables tables; nft list ruleset lists them.',
  iptables: 'iptables rules as iptables-save listed them.',
};

export const SOURCE_ORDER: Source[] = ['legacy', 'nft-compat', 'iptables', 'nftables'];

/** Who wrote a table or rule, by the name a person knows it by. */
export const OWNER_LABEL: Record<RuleOwner, string> = {
  docker: 'Docker',
  podman: 'Podman (netavark)',
  lxc: 'LXC',
  netloom: 'netloom',
  kube: 'kube-proxy',
  firewalld: 'firewalld',
  libvirt: 'libvirt',
  user: 'user',
};

/**
 * A table's name as its own tool spells it: iptables says `filter` (ip6tables: `ip6 filter`),
 * nft says `family name` (`inet filter`, `ip docker-bridges`).
 */
export function tableLabel(t: TableRef): string {
  if (t.backend === 'nftables') return `${t.family} ${t.table}`;
  return t.family === 'ip' ? t.table : `${t.family} ${t.table}`;
}

/** A table with its source, for places that list tables of every source together ("iptables-nft filter"). */
export const tableWithSource = (t: TableRef): string => `${SOURCE_LABEL[sourceOf(t.backend)]} ${tableLabel(t)}`;
