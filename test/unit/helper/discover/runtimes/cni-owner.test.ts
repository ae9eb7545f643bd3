import { describe, expect, it } from 'vitest';
import { cniOwnerOnNode, ownCniChains } from '../../../../../helper/discover/runtimes/cni-owner.js';
import type { RuntimeNetworkSeed } from '../../../../../helper/discover/runtimes/types.js';

const net = (runtime: string, bridgeName: string): RuntimeNetworkSeed => ({ runtime, name: 'n', id: 'n', driver: 'bridge', bridgeName, subnet: null, gateway: null, options: {}, explanation: [] });
// Rules as iptables-save of the CRI lab's node shows them (test/integration/cri.test.ts).
const rules = [
  { chain: 'PREROUTING', target: 'CNI-HOSTPORT-DNAT', owner: 'podman' as const },
  { chain: 'CNI-DN-6c0ed04820e40013db7d2', target: 'DNAT', owner: 'podman' as const },
  { chain: 'POSTROUTING', target: 'MASQUERADE', owner: 'user' as const },
  { chain: 'DOCKER', target: 'DNAT', owner: 'docker' as const },
];

describe('CNI chains on a Kubernetes node', () => {
  it('are Kubernetes\' when a CRI runtime named its CNI network', () => {
    const owner = cniOwnerOnNode([net('containerd (CRI)', 'cni0')]);
    expect(owner).toBe('kube');
    expect(ownCniChains(rules, owner).map((r) => r.owner)).toEqual(['kube', 'kube', 'user', 'docker']);
    expect(rules[0]?.owner).toBe('podman'); // the parsed rules are not changed
  });

  it('stay podman\'s without a CRI, or beside podman\'s own CNI bridge', () => {
    expect(cniOwnerOnNode([])).toBeNull();
    expect(cniOwnerOnNode([net('containerd (CRI)', 'cni0'), net('podman', 'cni-podman0')])).toBeNull();
    expect(ownCniChains(rules, null)).toBe(rules);
  });
});
