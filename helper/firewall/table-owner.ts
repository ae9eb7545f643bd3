import type { RuleOwner } from '../../protocol/src/firewall.js';

/**
 * Who made a native nftables table. Each tool keeps its rules in a table of its own name; the
 * name is the strongest signal there is (nothing else in the ruleset says who wrote it).
 *
 *   docker-bridges (Docker ≥ 29, ip/ip6)     netavark (Podman's netavark ≥ 1.12, inet)
 *   firewalld (inet/ip/ip6)                  kube-proxy (ip/ip6), cilium*, calico's cali*
 *   lxc (lxc-net on Debian 12, inet)         libvirt_network (libvirt ≥ 10.4), libvirt
 *   netloom (netloom's own)
 */
const BY_NAME: [RegExp, RuleOwner][] = [
  [/^docker(-bridges)?$/, 'docker'],
  [/^netavark$/, 'podman'],
  [/^firewalld$/, 'firewalld'],
  [/^(kube-proxy|kube-.*|cilium.*|calico.*|cali-.*)$/, 'kube'],
  [/^lxc$/, 'lxc'],
  [/^libvirt(_network)?$/, 'libvirt'],
  [/^netloom(-trace)?$/, 'netloom'],
];

export function tableOwner(name: string): { owner: RuleOwner; why: string } {
  for (const [re, owner] of BY_NAME) if (re.test(name)) return { owner, why: `table name ${name}` };
  return { owner: 'user', why: 'no tool is known to use this table name' };
}
