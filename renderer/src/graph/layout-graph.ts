import ELK from 'elkjs/lib/elk.bundled.js';
import type { ElkNode } from 'elkjs/lib/elk.bundled.js';
import { GROUP_PADDING } from './node-size.js';
import { COMPOUND_LIMIT, layoutLarge } from './layout-large.js';
import type { Layout, LayoutInput } from './layout-types.js';

export { COMPOUND_LIMIT };

const ROOT_OPTIONS: Record<string, string> = {
  'elk.algorithm': 'layered',
  'elk.direction': 'DOWN',
  // One layered run over the whole tree, so an edge into a namespace box pulls its
  // target down a layer: uplinks on top, bridges in the middle, namespaces below.
  'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
  'elk.layered.spacing.nodeNodeBetweenLayers': '48',
  'elk.spacing.nodeNode': '22',
  'elk.layered.spacing.edgeNodeBetweenLayers': '16',
  'elk.spacing.componentComponent': '40',
  'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
  'elk.separateConnectedComponents': 'false',
};
const GROUP_OPTIONS: Record<string, string> = {
  'elk.padding': `[top=${GROUP_PADDING.top},left=${GROUP_PADDING.left},bottom=${GROUP_PADDING.bottom},right=${GROUP_PADDING.right}]`,
};

let elk: InstanceType<typeof ELK> | null = null;

/** Pure async: ELK layered layout of the whole graph. Runs in the layout worker, and in node for tests. */
export async function layoutGraph(input: LayoutInput): Promise<Layout> {
  if (input.nodes.length > COMPOUND_LIMIT) return layoutLarge(input);
  const engine = (elk ??= new ELK());
  const byId = new Map<string, ElkNode>();
  const root: ElkNode = { id: '__root', layoutOptions: ROOT_OPTIONS, children: [], edges: [] };
  for (const n of input.nodes) {
    const node: ElkNode = n.group ? { id: n.id, layoutOptions: GROUP_OPTIONS, children: [] } : { id: n.id, width: n.width, height: n.height };
    byId.set(n.id, node);
  }
  for (const n of input.nodes) {
    const parent = (n.parentId && byId.get(n.parentId)) || root;
    const node = byId.get(n.id);
    if (node) (parent.children ??= []).push(node);
  }
  // Groups with nothing inside still need a size to be drawn.
  for (const n of input.nodes) {
    const node = byId.get(n.id);
    if (n.group && node && node.children?.length === 0) {
      node.width = 180;
      node.height = GROUP_PADDING.top + 8;
    }
  }
  root.edges = input.edges.filter((e) => byId.has(e.source) && byId.has(e.target)).map((e) => ({ id: e.id, sources: [e.source], targets: [e.target] }));
  const out = await engine.layout(root);
  const layout: Layout = { positions: {}, sizes: {} };
  const walk = (node: ElkNode) => {
    for (const c of node.children ?? []) {
      layout.positions[c.id] = { x: Math.round(c.x ?? 0), y: Math.round(c.y ?? 0) };
      if (c.children) layout.sizes[c.id] = { width: Math.round(c.width ?? 0), height: Math.round(c.height ?? 0) };
      walk(c);
    }
  };
  walk(out);
  return layout;
}
