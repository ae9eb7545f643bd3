import type { Interface, Namespace, Snapshot } from '../../../protocol/src/index.js';
import type { GraphModel, ModelEdge, ModelNode } from './graph-model.js';
import { interfaceAriaLabel, namespaceAriaLabel, namespaceName, portMappingAriaLabel, portMappingId, portMappingText } from './labels.js';
import { interfaceSize, PORT_MAPPING } from './node-size.js';
import { containerSubtitle } from './runtime-labels.js';
import { hostGroups, hostSuffix, tunnelElements } from './build-hosts.js';

function namespaceSubtitle(ns: Namespace): string {
  if (ns.container) return containerSubtitle(ns.container);
  if (ns.kind === 'process') {
    const p = ns.processes?.[0];
    return p ? `pid ${p.pid} · ${p.command}` : `pid ${ns.pids.join(', ') || '—'}`;
  }
  if (ns.kind === 'host') return 'host namespace';
  return `named · inode ${ns.inode}`;
}

/** Host namespace first, then named, containers, processes — the order ELK sees them in. */
const KIND_ORDER = { host: 0, named: 1, container: 2, process: 3 } as const;

/**
 * Pure: the boxes, nodes and edges of a snapshot. Namespaces are group nodes holding
 * their interfaces; veth pairs, bridge ports and lower devices are edges; port
 * mappings are badges in their namespace with an edge to the interface they reach.
 */
export function buildGraph(s: Snapshot, pending: ReadonlySet<string> = new Set()): GraphModel {
  const nodes: ModelNode[] = [];
  const edges: ModelEdge[] = [];
  const nsById = new Map(s.namespaces.map((n) => [n.id, n]));
  const ifById = new Map(s.interfaces.map((i) => [i.id, i]));
  const ifsByNs = new Map<string, Interface[]>();
  for (const i of s.interfaces) {
    const list = ifsByNs.get(i.ns);
    if (list) list.push(i);
    else ifsByNs.set(i.ns, [i]);
  }
  // A bridge that carries a runtime network shows the network's name ("bridge" on docker0).
  const netsByBridge = new Map<string, string[]>();
  for (const n of s.runtimeNetworks ?? []) if (n.bridge !== null) netsByBridge.set(n.bridge, [...(netsByBridge.get(n.bridge) ?? []), n.name]);
  const namespaces = [...s.namespaces].sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind]);
  // Several hosts: a group per host, its namespaces inside (build-hosts.ts).
  const hosts = hostGroups(s);
  nodes.push(...hosts.nodes);
  for (const ns of namespaces) {
    const title = namespaceName(ns);
    const nsPending = pending.has(ns.id);
    // A remote host's nodes say which host they are on: two hosts both have "namespace host".
    const on = hostSuffix(ns.id);
    nodes.push({ id: ns.id, type: 'namespace', parentId: hosts.groupOf(ns.id), width: 0, height: 0, ariaLabel: namespaceAriaLabel(ns) + on + (nsPending ? ' (pending)' : ''), data: { ns, title, subtitle: nsPending ? 'pending — not yet applied' : namespaceSubtitle(ns) }, ...(nsPending ? { pending: true } : {}) });
    for (const iface of ifsByNs.get(ns.id) ?? []) {
      const networks = netsByBridge.get(iface.id);
      const size = interfaceSize(iface, networks !== undefined);
      const data = networks !== undefined ? { iface, nsName: title, networks } : { iface, nsName: title };
      const p = pending.has(iface.id);
      nodes.push({ id: iface.id, type: 'interface', parentId: ns.id, ...size, ariaLabel: interfaceAriaLabel(iface, title) + on + (p ? ' (pending)' : ''), data, ...(p ? { pending: true } : {}) });
    }
    for (const pm of s.portMappings) {
      if (pm.ns !== ns.id) continue;
      const text = portMappingText(pm);
      const id = portMappingId(pm);
      nodes.push({ id, type: 'portMapping', parentId: ns.id, ...PORT_MAPPING, ariaLabel: portMappingAriaLabel(pm), data: { pm, text } });
      if (pm.targetInterface && ifById.has(pm.targetInterface)) edges.push({ id: `map:${id}`, source: id, target: pm.targetInterface, kind: 'mapping' });
    }
  }
  for (const iface of s.interfaces) {
    if (!nsById.has(iface.ns)) continue;
    if (iface.master && ifById.has(iface.master)) edges.push({ id: `port:${iface.id}`, source: iface.master, target: iface.id, kind: 'port' });
    if (iface.parent && ifById.has(iface.parent) && !iface.master) edges.push({ id: `lower:${iface.id}`, source: iface.parent, target: iface.id, kind: 'lower' });
    const peer = iface.peer ? ifById.get(iface.peer) : undefined;
    if (peer && nsById.has(peer.ns) && vethSourceFirst(iface, peer, nsById)) edges.push({ id: `veth:${iface.id}`, source: iface.id, target: peer.id, kind: 'veth' });
  }
  const tunnels = tunnelElements(s, (id) => ifById.has(id) && nsById.has(ifById.get(id)?.ns ?? ''));
  nodes.push(...tunnels.nodes);
  edges.push(...tunnels.edges);
  for (const e of edges) if (pending.has(e.id)) e.pending = true;
  return { nodes, edges };
}

/** One edge per pair, drawn from the end nearer the host (host side, or a bridge port) down to the other. */
function vethSourceFirst(a: Interface, b: Interface, nsById: Map<string, Namespace>): boolean {
  if (b.peer !== a.id) return true;
  const rank = (i: Interface) => (nsById.get(i.ns)?.kind === 'host' ? 0 : 1) * 2 + (i.master ? 0 : 1);
  const ra = rank(a);
  const rb = rank(b);
  return ra !== rb ? ra < rb : a.id < b.id;
}
