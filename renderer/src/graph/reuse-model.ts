import type { GraphModel, ModelEdge, ModelNode } from './graph-model.js';

function sameData(a: ModelNode['data'], b: ModelNode['data']): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => (a as Record<string, unknown>)[k] === (b as Record<string, unknown>)[k]);
}

function sameNode(a: ModelNode, b: ModelNode): boolean {
  return a.type === b.type && a.parentId === b.parentId && a.width === b.width && a.height === b.height && a.ariaLabel === b.ariaLabel && a.pending === b.pending && sameData(a.data, b.data);
}

/**
 * Keeps the previous object for every node and edge that did not change, so React
 * Flow's memo'd nodes re-render only where a patch touched something. Snapshot
 * objects keep their identity through applyPatch, which makes this a cheap check.
 */
export function reuseModel(prev: GraphModel | null, next: GraphModel): GraphModel {
  if (!prev) return next;
  const oldNodes = new Map(prev.nodes.map((n) => [n.id, n]));
  const oldEdges = new Map(prev.edges.map((e) => [e.id, e]));
  const nodes = next.nodes.map((n) => {
    const o = oldNodes.get(n.id);
    return o && sameNode(o, n) ? o : n;
  });
  const edges = next.edges.map((e): ModelEdge => {
    const o = oldEdges.get(e.id);
    return o && o.source === e.source && o.target === e.target && o.kind === e.kind && o.pending === e.pending ? o : e;
  });
  return { nodes, edges };
}
