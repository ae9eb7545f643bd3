import type { ContainerInfo, Interface, PortMapping, Route, RuntimeNetwork } from '../../../protocol/src/snapshot.js';
import type { FoundNamespace } from '../namespaces.js';
import { findTargetInterface } from '../target-interface.js';
import type { ProxyMapping, RuntimeNetworkSeed } from './types.js';
import { subnetOf4 } from '../ipv4-match.js';

/**
 * Pure joins of what the runtimes said with what the kernel showed — assembly calls them, so a
 * re-assembly after one namespace's re-read keeps the names.
 */

/** Namespaces with the runtime's identity where one is known (it beats the cgroup guess); the host stays host. */
export function applyContainers(found: FoundNamespace[], byInode: Map<number, ContainerInfo>): FoundNamespace[] {
  if (byInode.size === 0) return found;
  return found.map((f) => {
    const info = byInode.get(f.inode);
    if (info === undefined || f.kind === 'host') return f;
    return { ...f, container: info, kind: f.kind === 'named' ? 'named' : 'container' };
  });
}

/** Runtime networks placed on the host's interfaces: the bridge's interface id, its gateway when the runtime named none. */
export function placeNetworks(seeds: RuntimeNetworkSeed[], hostNs: string | null, interfaces: Interface[]): RuntimeNetwork[] {
  return seeds.map((n) => {
    const iface = n.bridgeName === null ? undefined : interfaces.find((i) => i.ns === hostNs && i.name === n.bridgeName);
    const v4 = iface?.addresses.find((a) => !a.includes(':'));
    return {
      ...n,
      bridge: iface?.id ?? null,
      gateway: n.gateway ?? (v4 !== undefined ? (v4.split('/')[0] ?? null) : null),
      // LXC's lxcbr0 says its subnet only through the bridge's own address.
      subnet: n.subnet ?? (v4 !== undefined ? subnetOf4(v4) : null),
    };
  });
}

function sameHost(a: string | null, b: string): boolean {
  const any = (x: string | null): boolean => x === null || x === '0.0.0.0' || x === '';
  return a === b || (any(a) && any(b));
}

/**
 * Adds docker-proxy's mappings to the DNAT-derived ones. A proxy listens on the host port itself,
 * so the host reaches the mapping (127.0.0.1 included): localAccess. A DNAT mapping it duplicates
 * gets the proxy's pid; one without DNAT (userland-proxy only, or IPv6 `::`) becomes its own mapping.
 */
export function mergeProxyMappings(mappings: PortMapping[], proxies: ProxyMapping[], interfaces: Interface[], routes: Route[]): PortMapping[] {
  if (proxies.length === 0) return mappings;
  const out = mappings.map((m) => ({ ...m }));
  for (const p of [...proxies].sort((a, b) => a.hostPort - b.hostPort || a.hostIp.localeCompare(b.hostIp))) {
    const twin = out.find(
      (m) =>
        m.ns === p.ns &&
        m.proto === p.proto &&
        m.hostPort === p.hostPort &&
        m.hostPortEnd === undefined &&
        m.targetIp === p.targetIp &&
        m.targetPort === p.targetPort &&
        sameHost(m.hostIp, p.hostIp),
    );
    if (twin !== undefined) {
      twin.localAccess = true;
      twin.proxyPids = [...(twin.proxyPids ?? []), p.pid];
      continue;
    }
    out.push({
      ns: p.ns,
      proto: p.proto,
      hostIp: p.hostIp,
      hostPort: p.hostPort,
      targetIp: p.targetIp,
      targetPort: p.targetPort,
      targetInterface: findTargetInterface(p.targetIp, p.ns, interfaces, routes),
      chains: [],
      localAccess: true,
      owner: 'docker',
      proxyPids: [p.pid],
    });
  }
  return out;
}
