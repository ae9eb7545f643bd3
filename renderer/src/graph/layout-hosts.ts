import type { Layout, LayoutInput, LayoutNode } from './layout-types.js';

/** Room between two host groups, and between the last one and the far ends of tunnels. */
const HOST_GAP = 80;
/** Inside a host group: its title and subtitle above the namespaces, a margin around them. */
const HOST_PADDING = { top: 56, left: 16, right: 16, bottom: 16 } as const;

const isHostGroup = (n: LayoutNode, byParent: Map<string | null, LayoutNode[]>): boolean => n.parentId === null && n.group && (byParent.get(n.id) ?? []).some((c) => c.group);

/**
 * A host whose picture the layout has never placed: a host added, the first remote host turning
 * one canvas into groups, or a host group shown empty while it connected and now holding its
 * namespaces. Every one of its namespaces is new, so only a fresh layout fits.
 */
export function newHostGroup(input: LayoutInput, base: Layout): boolean {
  const byParent = childrenOf(input.nodes);
  return input.nodes.some((n) => isHostGroup(n, byParent) && (base.positions[n.id] === undefined || (byParent.get(n.id) ?? []).every((c) => !c.group || base.positions[c.id] === undefined)));
}

function childrenOf(nodes: LayoutNode[]): Map<string | null, LayoutNode[]> {
  const byParent = new Map<string | null, LayoutNode[]>();
  for (const n of nodes) (byParent.get(n.parentId) ?? byParent.set(n.parentId, []).get(n.parentId))?.push(n);
  return byParent;
}

/**
 * Several hosts on one canvas (issue 14): each host group is laid out on its own by the one-host
 * layout (its host namespace on top, the rest packed under it), sized around that, and the groups
 * stand side by side, each given its share of the canvas' width; the tunnels' far ends that no
 * host holds stand after them. Without host groups (one host) it is the one-host layout itself.
 */
export function layoutHosts(input: LayoutInput, layoutOne: (input: LayoutInput) => Layout): Layout {
  const byParent = childrenOf(input.nodes);
  const top = byParent.get(null) ?? [];
  const hosts = top.filter((n) => isHostGroup(n, byParent));
  if (hosts.length === 0) return layoutOne(input);

  const layout: Layout = { positions: {}, sizes: {} };
  const viewport = input.viewport ? { width: input.viewport.width / hosts.length, height: input.viewport.height } : undefined;
  let x = 0;
  for (const host of hosts) {
    const inside = subtree(host.id, byParent);
    const ids = new Set(inside.map((n) => n.id));
    const nodes = inside.map((n) => (n.parentId === host.id ? { ...n, parentId: null } : n));
    const sub = layoutOne({ nodes, edges: input.edges.filter((e) => ids.has(e.source) && ids.has(e.target)), ...(viewport ? { viewport } : {}) });
    let width = 0;
    let height = 0;
    for (const n of byParent.get(host.id) ?? []) {
      const at = sub.positions[n.id] ?? { x: 0, y: 0 };
      const size = sub.sizes[n.id] ?? n;
      width = Math.max(width, at.x + size.width);
      height = Math.max(height, at.y + size.height);
      sub.positions[n.id] = { x: at.x + HOST_PADDING.left, y: at.y + HOST_PADDING.top };
    }
    Object.assign(layout.positions, sub.positions);
    Object.assign(layout.sizes, sub.sizes);
    const size = { width: width + HOST_PADDING.left + HOST_PADDING.right, height: height + HOST_PADDING.top + HOST_PADDING.bottom };
    layout.positions[host.id] = { x, y: 0 };
    layout.sizes[host.id] = size;
    x += size.width + HOST_GAP;
  }
  // Whatever else is at the top level (a tunnel's far end no host holds): a column after the hosts.
  let y = 0;
  for (const n of top) {
    if (hosts.includes(n)) continue;
    layout.positions[n.id] = { x, y };
    y += n.height + 24;
  }
  return layout;
}

function subtree(root: string, byParent: Map<string | null, LayoutNode[]>): LayoutNode[] {
  const out: LayoutNode[] = [];
  const queue = [...(byParent.get(root) ?? [])];
  for (let n = queue.shift(); n !== undefined; n = queue.shift()) {
    out.push(n);
    queue.push(...(byParent.get(n.id) ?? []));
  }
  return out;
}
