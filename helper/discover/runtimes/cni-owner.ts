import type { RuleOwner } from '../../../protocol/src/snapshot.js';
import type { RuntimeNetworkSeed } from './types.js';

/**
 * Who owns the CNI plugins' chains (CNI-HOSTPORT-DNAT, CNI-DN-…, CNI-<hash>): the firewall reader
 * can only guess from the chain name, and guesses podman (its old CNI backend wrote them). On a
 * node whose CRI runtime answered with its CNI networks they are Kubernetes' (kubelet → runtime →
 * portmap/bridge) — unless podman's own CNI bridge (cni-podman0…) is there too, when the guess stands.
 */
export function cniOwnerOnNode(networks: RuntimeNetworkSeed[]): RuleOwner | null {
  const cri = networks.some((n) => n.runtime.endsWith('(CRI)'));
  const podmanCni = networks.some((n) => n.runtime === 'podman' && (n.bridgeName ?? '').startsWith('cni-podman'));
  return cri && !podmanCni ? 'kube' : null;
}

/** Rules or chains in (or jumping to) a CNI- chain, given the node's owner; new objects, the parsed ones stay as they are. */
export function ownCniChains<T extends { chain: string; owner: RuleOwner; target?: string | null | undefined }>(items: T[], owner: RuleOwner | null): T[] {
  if (owner === null) return items;
  return items.map((x) => (x.owner === 'podman' && (x.chain.startsWith('CNI-') || (x.target ?? '').startsWith('CNI-')) ? { ...x, owner } : x));
}
