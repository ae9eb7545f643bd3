import type { GraphModel } from './graph-model.js';
import type { LayoutInput } from './layout-types.js';

/** The part of the graph model the layout needs; `viewport`, the canvas it is for (px). */
export function toLayoutInput(g: GraphModel, viewport?: { width: number; height: number }): LayoutInput {
  return {
    nodes: g.nodes.map((n) => {
      const role = n.type === 'portMapping' ? 'mapping' : n.type === 'interface' && n.data.iface.kind === 'loopback' ? 'loopback' : undefined;
      return { id: n.id, parentId: n.parentId, width: n.width, height: n.height, group: n.type === 'namespace' || n.type === 'host', ...(role ? { role } : {}) };
    }),
    edges: g.edges.map((e) => ({ id: e.id, source: e.source, target: e.target })),
    ...(viewport && viewport.width > 0 && viewport.height > 0 ? { viewport } : {}),
  };
}
