import type { HostEntry, Snapshot } from '../../../protocol/src/index.js';
import { splitId, tunnelEdges } from '../../../protocol/src/index.js';
import type { ModelEdge, ModelNode } from './graph-model.js';
import { EMPTY_HOST, REMOTE_NODE } from './node-size.js';

/**
 * Several hosts on one canvas and the tunnels between them (issue 14). Pure, beside buildGraph:
 * a group per host when the snapshot holds more than the local one (a single host's canvas is
 * what it always was), and each tunnel as an edge to the far device, or to a "remote ADDRESS"
 * node when no host on the canvas holds that address.
 */
export const hostGroupId = (name: string): string => `hostgroup:${name}`;

/** ` on hostb` for a remote host's id, nothing for the local host's. */
export const hostSuffix = (id: string): string => {
  const host = splitId(id).host;
  return host !== null ? ` on ${host}` : '';
};

/** The host group a namespace id belongs in, or null when there are no groups. */
export function hostGroups(s: Snapshot): { nodes: ModelNode[]; groupOf: (nsId: string) => string | null } {
  const hosts = s.hosts ?? [];
  if (!hosts.some((h) => !h.local)) return { nodes: [], groupOf: () => null };
  const local = hosts.find((h) => h.local)?.name ?? null;
  const known = new Set(hosts.map((h) => h.name));
  // A host with no namespace drawn yet is a card of its own size (the layout packs it after the groups).
  const drawn = new Set(s.namespaces.map((n) => splitId(n.id).host ?? local));
  const nodes = hosts.map((host): ModelNode => {
    const empty = !drawn.has(host.name);
    return { id: hostGroupId(host.name), type: 'host', parentId: null, ...(empty ? EMPTY_HOST : { width: 0, height: 0 }), ariaLabel: hostAriaLabel(host), data: { host, title: host.name, subtitle: hostSubtitle(host), ...(empty ? { empty: true } : {}) } };
  });
  const groupOf = (nsId: string): string | null => {
    const host = splitId(nsId).host ?? local;
    return host !== null && known.has(host) ? hostGroupId(host) : null;
  };
  return { nodes, groupOf };
}

function hostSubtitle(h: HostEntry): string {
  const where = h.local ? 'this machine' : (h.destination ?? '');
  const state = h.state === 'live' ? '' : ` · ${h.state}`;
  return `${h.hostname ?? where}${h.hostname && !h.local ? ` · ${where}` : ''}${state}`;
}

function hostAriaLabel(h: HostEntry): string {
  const state = h.needsPassword ? 'needs the sudo password' : h.state;
  return `host ${h.name}${h.state === 'live' && !h.needsPassword ? '' : `, ${state}${h.error ? `: ${h.error}` : ''}`}`;
}

export function tunnelElements(s: Snapshot, hasNode: (id: string) => boolean): { nodes: ModelNode[]; edges: ModelEdge[] } {
  const nodes: ModelNode[] = [];
  const edges: ModelEdge[] = [];
  const remotes = new Set<string>();
  for (const t of tunnelEdges(s.interfaces)) {
    if (!hasNode(t.a)) continue;
    if (t.b !== null && hasNode(t.b)) {
      edges.push({ id: t.id, source: t.a, target: t.b, kind: 'tunnel' });
      continue;
    }
    const id = `remote:${t.remote}`;
    if (!remotes.has(id)) {
      remotes.add(id);
      nodes.push({ id, type: 'remote', parentId: null, ...REMOTE_NODE, ariaLabel: `remote ${t.remote}`, data: { address: t.remote, title: `remote ${t.remote}` } });
    }
    edges.push({ id: t.id, source: t.a, target: id, kind: 'tunnel' });
  }
  return { nodes, edges };
}
