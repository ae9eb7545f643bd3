import type { Node, Rect } from '@xyflow/react';

/** Absolute box of a node from our own positions (one level of nesting: namespace → child). */
export function absoluteRect(nodes: readonly Node[], id: string): Rect | null {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const n = byId.get(id);
  if (!n) return null;
  const parent = n.parentId ? byId.get(n.parentId) : undefined;
  return { x: n.position.x + (parent?.position.x ?? 0), y: n.position.y + (parent?.position.y ?? 0), width: n.width ?? 0, height: n.height ?? 0 };
}

/**
 * The box around every top-level node. React Flow's own fitView counts only nodes it
 * has measured, and with onlyRenderVisibleElements nodes off screen never are.
 */
export function graphBounds(nodes: readonly Node[]): Rect | null {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const n of nodes) {
    if (n.parentId) continue;
    x0 = Math.min(x0, n.position.x);
    y0 = Math.min(y0, n.position.y);
    x1 = Math.max(x1, n.position.x + (n.width ?? 0));
    y1 = Math.max(y1, n.position.y + (n.height ?? 0));
  }
  return x0 === Infinity ? null : { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}
