import type { ContainerInfo } from '../../../protocol/src/snapshot.js';
import type { DockerContainerInspect, DockerEndpoint } from './docker-schemas.js';
import type { RuntimeContainer } from './types.js';

function cidrOf(e: DockerEndpoint): string | null {
  return e.IPAddress === '' ? null : `${e.IPAddress}/${e.IPPrefixLen}`;
}

/** A running container from its inspect document; null when it has no process (stopped, or created only). */
export function toRuntimeContainer(c: DockerContainerInspect): RuntimeContainer | null {
  if (c.State.Pid <= 0) return null;
  const nets = Object.entries(c.NetworkSettings?.Networks ?? {}).sort(([a], [b]) => a.localeCompare(b));
  const info: ContainerInfo = {
    runtime: 'docker',
    id: c.Id,
    name: c.Name.replace(/^\//, ''),
    image: c.Config?.Image ?? '',
    networks: nets.map(([name]) => name),
    pid: c.State.Pid,
    endpoints: nets.map(([network, e]) => ({
      network,
      ip: cidrOf(e),
      gateway: e.Gateway === '' ? null : e.Gateway,
      mac: e.MacAddress === '' ? null : e.MacAddress,
    })),
  };
  return { pid: c.State.Pid, info };
}

/** Gateways containers report per network id: the default bridge's IPAM config names none. */
export function gatewaysByNetwork(containers: DockerContainerInspect[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const c of containers) {
    for (const e of Object.values(c.NetworkSettings?.Networks ?? {})) {
      if (e.NetworkID !== '' && e.Gateway !== '' && !out.has(e.NetworkID)) out.set(e.NetworkID, e.Gateway);
    }
  }
  return out;
}
