import { MarkerType } from '@xyflow/react';
import type { Edge, Node } from '@xyflow/react';
import type { GraphModel, ModelEdge, ModelNode } from './graph-model.js';
import type { Layout } from './layout-types.js';

export type FlowNode = Node<ModelNode['data']>;

const EDGE_LABEL: Record<ModelEdge['kind'], string> = { veth: 'veth pair', port: 'bridge port', lower: 'lower device', mapping: 'port mapping', tunnel: 'tunnel' };

/**
 * React Flow nodes from the model and the layout. A node object is reused when its
 * model node, position and size are unchanged — React Flow then skips it entirely.
 */
export function toFlowNodes(model: GraphModel, layout: Layout, prev: ReadonlyMap<string, FlowNode>, models: WeakMap<FlowNode, ModelNode>): FlowNode[] {
  return model.nodes.map((m) => {
    const pos = layout.positions[m.id] ?? { x: 0, y: 0 };
    const size = m.type === 'namespace' || m.type === 'host' ? (layout.sizes[m.id] ?? (m.width > 0 ? { width: m.width, height: m.height } : { width: 180, height: 60 })) : { width: m.width, height: m.height };
    const old = prev.get(m.id);
    if (old && models.get(old) === m && old.position.x === pos.x && old.position.y === pos.y && old.width === size.width && old.height === size.height) return old;
    const node: FlowNode = {
      id: m.id,
      type: m.type,
      position: { x: pos.x, y: pos.y },
      data: m.data,
      width: size.width,
      height: size.height,
      ariaLabel: m.ariaLabel,
      ...(m.parentId ? { parentId: m.parentId, extent: 'parent' as const, expandParent: true } : {}),
      ...(m.type === 'namespace' ? { zIndex: -1, className: m.pending ? 'ns-wrapper is-pending' : 'ns-wrapper' } : m.pending ? { className: 'is-pending' } : {}),
      ...(m.type === 'host' ? { zIndex: -2, className: 'host-wrapper' } : {}),
      ...(old?.selected ? { selected: true } : {}),
    };
    models.set(node, m);
    return node;
  });
}

export function toFlowEdges(model: GraphModel, prev: ReadonlyMap<string, Edge>, models: WeakMap<Edge, ModelEdge>): Edge[] {
  // A bridge port that is also a veth end has its rate on the veth edge already: its port edge
  // (short, right under the bridge) drawn busy but without a second label over the ports' names.
  const vethEnds = new Set(model.edges.filter((e) => e.kind === 'veth').flatMap((e) => [e.source, e.target]));
  return model.edges.map((m) => {
    const old = prev.get(m.id);
    if (old && models.get(old) === m) return old;
    const edge: Edge = {
      id: m.id,
      source: m.source,
      target: m.target,
      className: `edge-${m.kind}${m.pending ? ' is-pending' : ''}`,
      ariaLabel: EDGE_LABEL[m.kind],
      // Live traffic (renderer/src/traffic): a veth and a tunnel are measured at their source end, a port at the port.
      ...(m.kind === 'veth' || m.kind === 'port' || m.kind === 'tunnel' ? { type: 'traffic', data: { counterId: m.kind === 'port' ? m.target : m.source, ...(m.kind === 'port' && vethEnds.has(m.target) ? { label: false } : {}) } } : {}),
      ...(m.kind === 'mapping' ? { markerEnd: { type: MarkerType.ArrowClosed, width: 14, height: 14 } } : {}),
      ...(old?.selected ? { selected: true } : {}),
    };
    models.set(edge, m);
    return edge;
  });
}
