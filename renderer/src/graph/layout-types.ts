/** What ELK needs to know about the graph: ids, parents, sizes, edges — no snapshot data. */
export interface LayoutNode {
  id: string;
  parentId: string | null;
  width: number;
  height: number;
  group: boolean;
  /** Sorted last in its box (a loopback), or with the badges (a port mapping). */
  role?: 'loopback' | 'mapping';
}
export interface LayoutInput {
  nodes: LayoutNode[];
  edges: { id: string; source: string; target: string }[];
  /** The canvas the picture must fit (px): the layout takes the shape that fits it at the largest zoom. */
  viewport?: { width: number; height: number };
}
export interface Point {
  x: number;
  y: number;
}
/** Positions are relative to the parent (as React Flow wants them); sizes only for groups. */
export interface Layout {
  positions: Record<string, Point>;
  sizes: Record<string, { width: number; height: number }>;
}

export function emptyLayout(): Layout {
  return { positions: {}, sizes: {} };
}
