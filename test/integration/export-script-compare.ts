import type { Snapshot } from '../../protocol/src/index.js';
import { userRoute } from '../../protocol/src/export-script.js';

/**
 * What a rebuilt network must have in common with the original, by name (inodes and ifindexes
 * differ on every host): the namespaces a script can make, their links (kind, master, peer),
 * addresses, routes, forwarding, and netloom's rules.
 */
export interface NetworkView {
  namespaces: string[];
  links: string[];
  addresses: string[];
  routes: string[];
  forwarding: string[];
  netloomRules: string[];
}

export function networkView(s: Snapshot): NetworkView {
  const nsName = new Map(s.namespaces.map((n) => [n.id, n.kind === 'host' ? '(host)' : (n.name ?? n.id)]));
  const kept = new Set(s.namespaces.filter((n) => n.kind === 'host' || n.kind === 'named').map((n) => n.id));
  const ifName = new Map(s.interfaces.map((i) => [i.id, `${nsName.get(i.ns)}/${i.name}`]));
  const ifaces = s.interfaces.filter((i) => kept.has(i.ns));
  return {
    namespaces: s.namespaces.filter((n) => kept.has(n.id)).map((n) => nsName.get(n.id) ?? '').sort(),
    links: ifaces
      .map((i) => `${ifName.get(i.id)} ${i.kind} up=${i.up} mtu=${i.mtu} master=${i.master ? ifName.get(i.master) : '-'} peer=${i.peer ? ifName.get(i.peer) : '-'}`)
      .sort(),
    addresses: ifaces.flatMap((i) => i.addresses.filter((a) => !/^fe80:/i.test(a)).map((a) => `${ifName.get(i.id)} ${a}`)).sort(),
    routes: s.routes
      .filter((r) => kept.has(r.ns) && (r.family ?? 4) === 4)
      .map((r) => `${nsName.get(r.ns)} ${r.table} ${r.dst} via=${r.gateway ?? '-'} dev=${r.dev ? ifName.get(r.dev) : '-'} proto=${userRoute(r) ? 'user' : r.protocol} scope=${r.scope}`)
      .sort(),
    forwarding: s.namespaces.filter((n) => kept.has(n.id)).map((n) => `${nsName.get(n.id)} ${n.ipForward}`).sort(),
    netloomRules: s.rules.filter((r) => kept.has(r.ns) && r.owner === 'netloom').map((r) => `${nsName.get(r.ns)} ${r.table} ${r.chain} ${r.spec}`).sort(),
  };
}
