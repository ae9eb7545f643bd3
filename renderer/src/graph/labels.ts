import type { Interface, Namespace, PortMapping } from '../../../protocol/src/index.js';

/**
 * What a namespace is called everywhere in the UI and in accessible names:
 * the host namespace is "host"; a container's its container name (even when the runtime
 * also bind-mounted it in /run/netns: Podman's netavark names them "netns-<uuid>", which
 * says nothing to a person); a named one its /run/netns name; an unnamed one held by
 * processes its id ("ns:4026532…"), the only name that stays true while its processes
 * come and go.
 */
export function namespaceName(ns: Namespace): string {
  if (ns.kind === 'host') return 'host';
  if (ns.container) return ns.container.name;
  if (ns.name) return ns.name;
  return ns.id;
}

export function namespaceAriaLabel(ns: Namespace): string {
  return `namespace ${namespaceName(ns)}`;
}

/** "bridge br3" in the host namespace, "bridge br0 in ns1" elsewhere; other kinds "interface veth01 in host". */
export function interfaceAriaLabel(iface: Interface, nsName: string): string {
  if (iface.kind === 'bridge') return nsName === 'host' ? `bridge ${iface.name}` : `bridge ${iface.name} in ${nsName}`;
  return `interface ${iface.name} in ${nsName}`;
}

export function portMappingText(pm: PortMapping): string {
  const host = `${pm.hostIp ?? '0.0.0.0'}:${pm.hostPort}${pm.hostPortEnd ? `-${pm.hostPortEnd}` : ''}`;
  const target = mappingTargetText(pm);
  return `${pm.proto} ${host} → ${target}`;
}

/** Where a mapping sends packets: "10.0.0.2:80", or a REDIRECT's "port 22 of this host" (firewalld's forward-port without toaddr). */
export function mappingTargetText(pm: PortMapping): string {
  if (pm.redirect) return `port ${pm.targetPort ?? pm.hostPort} of this host`;
  return pm.targetPort === null ? pm.targetIp : `${pm.targetIp}:${pm.targetPort}`;
}

export function portMappingAriaLabel(pm: PortMapping): string {
  return `port mapping ${portMappingText(pm).replace('→', 'to')}`;
}

export function portMappingId(pm: PortMapping): string {
  return `pm:${pm.ns}:${pm.proto}:${pm.hostIp ?? '*'}:${pm.hostPort}`;
}
