import type { DockerNetwork } from './docker-schemas.js';
import type { RuntimeNetworkSeed } from './types.js';

const OPT = 'com.docker.network.bridge.';

/** The kernel bridge of a Docker bridge network: its `bridge.name` option, else docker0 / br-<12 of the id>. */
export function dockerBridgeName(n: DockerNetwork): string | null {
  if (n.Driver !== 'bridge') return null;
  const named = n.Options?.[`${OPT}name`];
  if (named !== undefined && named !== '') return named;
  return n.Name === 'bridge' ? 'docker0' : `br-${n.Id.slice(0, 12)}`;
}

/** Sentences saying what a network is and what its options change, in the user's words. */
export function explainDockerNetwork(n: DockerNetwork, bridgeName: string | null, subnet: string | null, gateway: string | null): string[] {
  const opts = n.Options ?? {};
  const out: string[] = [];
  if (n.Driver === 'bridge') {
    const where = [subnet, gateway !== null ? `via ${gateway}` : null].filter((x) => x !== null).join(' ');
    out.push(`bridge network '${n.Name}' on ${bridgeName ?? '?'}${where === '' ? '' : `, ${where}`}`);
    if (opts[`${OPT}default_bridge`] === 'true') out.push(`Docker's default network: containers started without --network join it`);
    if (opts[`${OPT}enable_icc`] === 'false') out.push(`containers on ${n.Name} cannot reach each other: enable_icc=false`);
    if (opts[`${OPT}enable_ip_masquerade`] === 'false') {
      out.push(`traffic from ${n.Name} leaves with the containers' own addresses (no MASQUERADE): enable_ip_masquerade=false`);
    }
    const bind = opts[`${OPT}host_binding_ipv4`];
    if (bind !== undefined && bind !== '0.0.0.0') out.push(`ports published on ${n.Name} listen on ${bind} unless told otherwise`);
  } else if (n.Driver === 'host') {
    out.push(`containers on '${n.Name}' share the host's network namespace: no interfaces of their own`);
  } else if (n.Driver === 'null') {
    out.push(`containers on '${n.Name}' have only a loopback interface`);
  } else {
    out.push(`${n.Driver} network '${n.Name}'${subnet !== null ? `, ${subnet}` : ''}`);
  }
  if (n.Internal) out.push(`${n.Name} is internal: containers on it cannot reach outside the host`);
  const mtu = opts['com.docker.network.driver.mtu'];
  if (mtu !== undefined && mtu !== '1500') out.push(`MTU ${mtu}`);
  return out;
}

/** A Docker network as netloom shows it. `gatewayHint` is what containers report when IPAM names none (the default bridge). */
export function toRuntimeNetwork(n: DockerNetwork, gatewayHint: string | null): RuntimeNetworkSeed {
  const config = n.IPAM?.Config ?? [];
  const v4 = config.find((c) => c.Subnet !== undefined && !c.Subnet.includes(':')) ?? config[0];
  const subnet = v4?.Subnet ?? null;
  const gateway = v4?.Gateway ?? gatewayHint;
  const bridgeName = dockerBridgeName(n);
  return {
    runtime: 'docker',
    name: n.Name,
    id: n.Id,
    driver: n.Driver,
    bridgeName,
    subnet,
    gateway,
    options: { ...(n.Options ?? {}) },
    explanation: explainDockerNetwork(n, bridgeName, subnet, gateway),
  };
}
