import type { GraphModel } from './graph-model.js';
import type { LayoutInput } from './layout-types.js';

/** The part of the graph model the layout needs. */
export function toLayoutInput(g: GraphModel): LayoutInput {
  return {
    nodes: g.nodes.map((n) => ({ id: n.id, parentId: n.parentId, width: n.width, height: n.height, group: n.type === 'namespace' || n.type === 'host' })),
    edges: g.edges.map((e) => ({ id: e.id, source: e.source, target: e.target })),
  };
}
