import type { Notice, Rule, RuntimeNetwork } from '../../../protocol/src/snapshot.js';

/**
 * lxc-net writes its NAT and firewall rules with `nft` when nftables is installed (Debian 12's
 * default: `table inet lxc`, `table ip lxc`), and iptables-save cannot show those. netloom reads
 * rules through iptables-save only, so a running lxcbr0 with none of lxc-net's rules in sight
 * means the picture lacks them: say so rather than let an empty rules view look like the truth.
 * (Recorded: test/fixtures/lxc/nft/.)
 */
export function nftOnlyRulesNotice(networks: RuntimeNetwork[], rules: Rule[], hostNs: string | null): Notice | null {
  const lxc = networks.find((n) => n.runtime === 'lxc' && n.bridge !== null);
  if (lxc === undefined || hostNs === null) return null;
  if (rules.some((r) => r.ns === hostNs && r.owner === 'lxc')) return null;
  return {
    level: 'info',
    message: `LXC's ${lxc.bridgeName ?? 'bridge'} runs, but none of lxc-net's NAT and firewall rules are in iptables: lxc-net most likely wrote them with nftables (nft list table inet lxc), which netloom does not read yet, so its rules view and Explain do not see them.`,
  };
}
