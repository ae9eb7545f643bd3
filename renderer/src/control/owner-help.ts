import type { PortMapping } from '../../../protocol/src/index.js';
import { firewalldSentence } from './firewalld-help.js';

/** Who owns a mapping netloom will not touch, and where to change it instead. */
export function ownerSentence(pm: PortMapping): string {
  const p = `${pm.hostPort}:${pm.targetPort ?? pm.hostPort}`;
  switch (pm.owner) {
    case 'docker':
      return `Docker made this mapping for a container's published port.${proxyNote(pm)} Change it with Docker: publish with “docker run -p ${p} …”, remove it by recreating the container without -p (docker rm -f, then docker run).`;
    case 'podman':
      return `Podman (netavark) made this mapping. Change it with “podman run -p ${p} …”; remove it by recreating the container without -p.`;
    case 'lxc':
      return 'LXC’s lxc-net made this rule. Change it in /etc/default/lxc-net (or the container’s lxc.net.* config) and restart lxc-net.';
    case 'kube':
      return `Kubernetes (kube-proxy) writes this rule from a Service. Change the Service (${kubeEdit(pm)}), not the rule.`;
    case 'firewalld':
      return firewalldSentence(pm);
    case 'libvirt':
      return 'libvirt made this rule for a virtual network (it rewrites its table whenever the network starts). Change the network instead: virsh net-edit NAME, then virsh net-destroy NAME and virsh net-start NAME.';
    case 'user':
      return `Someone wrote this rule by hand or with another tool (${pm.backend === 'nftables' && pm.table ? `nftables table ${pm.table}` : 'iptables nat table'}, chains: ${pm.chains.join(', ') || 'unknown'}). netloom never edits rules it did not make; change it with ${pm.backend === 'nftables' ? 'nft' : 'iptables -t nat'} where it was written.`;
    case 'netloom':
      return 'netloom made this mapping; you can delete it here.';
  }
}

/** docker-proxy listens on the host port itself: that is why the host (127.0.0.1 too) reaches the mapping. */
function proxyNote(pm: PortMapping): string {
  const pids = pm.proxyPids ?? [];
  if (pids.length === 0) return '';
  return ` docker-proxy (pid ${pids.join(', ')}) listens on the host port, so this host reaches it too.`;
}

/** kube-proxy's nftables chains name the Service (`service-ULMVA6XW-ns1/svc1/tcp/p80`): edit that one. */
function kubeEdit(pm: PortMapping): string {
  for (const c of pm.chains) {
    const m = /^(?:service|external)-[A-Z0-9]+-([^/]+)\/([^/]+)\//.exec(c);
    if (m?.[1] && m[2]) return `kubectl -n ${m[1]} edit service ${m[2]}`;
  }
  return 'kubectl edit service …';
}
