import type { PortMapping } from '../../../protocol/src/index.js';

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
      return 'Kubernetes (kube-proxy) writes this rule from a Service. Change the Service (kubectl edit service …), not the rule.';
    case 'firewalld':
      return `firewalld made this forward-port. Change it with firewall-cmd (--remove-forward-port=port=${pm.hostPort}:proto=${pm.proto}:toport=${pm.targetPort ?? pm.hostPort}:toaddr=${pm.targetIp}, then --runtime-to-permanent if it was permanent).`;
    case 'libvirt':
      return 'libvirt made this rule for a virtual network. Change the network with virsh net-edit, then restart it.';
    case 'user':
      return `Someone wrote this rule by hand or with another tool (chains: ${pm.chains.join(', ') || 'unknown'}). netloom never edits rules it did not make; change it with iptables -t nat or nft where it was written.`;
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
