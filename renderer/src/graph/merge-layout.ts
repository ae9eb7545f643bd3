import { GROUP_PADDING } from './node-size.js';
import { BOX_GAP } from './layout-graph.js';
import type { Layout, LayoutInput, LayoutNode, Point } from './layout-types.js';

const GAP = 20;

interface Box extends Point {
  width: number;
  height: number;
}

function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.width + GAP && b.x < a.x + a.width + GAP && a.y < b.y + b.height + GAP && b.y < a.y + a.height + GAP;
}

/**
 * Keeps every known position and places only the new nodes (DESIGN: layout is stable —
 * a patch adding one veth must not move anything else). A new child goes beside a
 * related node in its box (or under the last one) and its box grows to hold it; a new
 * box gets a simple column inside and goes to the right of the others.
 */
export function mergeLayout(input: LayoutInput, prev: Layout): Layout {
  const out: Layout = { positions: {}, sizes: {} };
  const live = new Set(input.nodes.map((n) => n.id));
  const related = new Map<string, string[]>();
  for (const e of input.edges) {
    (related.get(e.target) ?? related.set(e.target, []).get(e.target))?.push(e.source);
    (related.get(e.source) ?? related.set(e.source, []).get(e.source))?.push(e.target);
  }
  const size = (n: LayoutNode) => out.sizes[n.id] ?? { width: n.width, height: n.height };
  const children = new Map<string | null, LayoutNode[]>();
  for (const n of input.nodes) {
    const p = n.parentId && live.has(n.parentId) ? n.parentId : null;
    (children.get(p) ?? children.set(p, []).get(p))?.push(n);
  }
  const boxesIn = (parent: string | null, except: string) =>
    (children.get(parent) ?? []).filter((c) => c.id !== except && out.positions[c.id]).map((c) => ({ ...(out.positions[c.id] as Point), ...size(c) }));
  const freeSpot = (parent: string | null, n: LayoutNode, start: Point): Point => {
    const others = boxesIn(parent, n.id);
    const box = { ...start, ...size(n) };
    // Sideways: in a top-down layout a row grows to the right without pushing rows below.
    for (let i = 0; i < 2000 && others.some((o) => overlaps(box, o)); i++) box.x += 16;
    return { x: box.x, y: box.y };
  };

  // Children before parents: a group's size depends on what is inside.
  const place = (parent: string | null) => {
    const kids = children.get(parent) ?? [];
    for (const k of kids) {
      if (!k.group) continue;
      const s = prev.sizes[k.id];
      // A group that says its own size (a host card with no picture yet) starts at it.
      out.sizes[k.id] = s ? { ...s } : { width: Math.max(180, k.width), height: Math.max(GROUP_PADDING.top + 8, k.height) };
      place(k.id);
    }
    for (const k of kids) {
      const known = prev.positions[k.id];
      if (known) out.positions[k.id] = { ...known };
    }
    for (const k of kids) {
      if (out.positions[k.id]) continue;
      out.positions[k.id] = freeSpot(parent, k, startFor(k, parent, kids));
    }
    if (parent !== null) growToFit(parent, kids);
  };

  const startFor = (n: LayoutNode, parent: string | null, siblings: LayoutNode[]): Point => {
    for (const r of related.get(n.id) ?? []) {
      // Another node hanging off the same neighbour (a bridge's other ports): join its row.
      const alike = siblings.filter((s) => s.id !== n.id && out.positions[s.id] && s.id !== r && (related.get(s.id) ?? []).includes(r));
      const last = alike.sort((a, b) => (out.positions[b.id] as Point).x - (out.positions[a.id] as Point).x)[0];
      if (last) {
        const at = out.positions[last.id] as Point;
        return { x: at.x + size(last).width + GAP, y: at.y };
      }
      const sib = siblings.find((s) => s.id === r);
      const at = sib && out.positions[sib.id];
      if (sib && at) return { x: at.x + size(sib).width + GAP, y: at.y };
    }
    const placed = siblings.filter((s) => out.positions[s.id] && s.id !== n.id);
    if (parent === null) return nextSlot(placed.map((s) => ({ ...(out.positions[s.id] as Point), ...size(s) })), size(n));
    if (placed.length === 0) return { x: GROUP_PADDING.left, y: GROUP_PADDING.top };
    const bottom = Math.max(...placed.map((s) => (out.positions[s.id] as Point).y + size(s).height));
    return { x: GROUP_PADDING.left, y: bottom + GAP };
  };

  const growToFit = (group: string, kids: LayoutNode[]) => {
    const s = out.sizes[group] ?? { width: 0, height: 0 };
    for (const k of kids) {
      const p = out.positions[k.id] as Point;
      s.width = Math.max(s.width, p.x + size(k).width + GROUP_PADDING.right);
      s.height = Math.max(s.height, p.y + size(k).height + GROUP_PADDING.bottom);
    }
    out.sizes[group] = s;
  };

  place(null);
  pushAsideGrown(prev, out, children.get(null) ?? []);
  return out;
}

/**
 * Where a new box goes: the lowest free spot within the picture's current width (the next place
 * in the last row, else a new row under everything), so it lands where a Fit still shows it —
 * never far off to the right.
 */
export function nextSlot(boxes: readonly Box[], s: { width: number; height: number }): Point {
  if (boxes.length === 0) return { x: 0, y: 0 };
  const left = Math.min(...boxes.map((b) => b.x));
  const right = Math.max(...boxes.map((b) => b.x + b.width));
  const xs = [left, ...boxes.map((b) => b.x + b.width + BOX_GAP.x)].filter((x) => x + s.width <= Math.max(right, left + s.width));
  let best: Point | null = null;
  for (const x of xs) {
    // Under every box this one would be beneath (gravity: as high as the boxes above allow).
    const y = Math.max(Math.min(...boxes.map((b) => b.y)), ...boxes.filter((b) => b.x < x + s.width + BOX_GAP.x && x < b.x + b.width + BOX_GAP.x).map((b) => b.y + b.height + BOX_GAP.y));
    if (best === null || y < best.y || (y === best.y && x < best.x)) best = { x, y };
  }
  return best ?? { x: left, y: Math.max(...boxes.map((b) => b.y + b.height)) + BOX_GAP.y };
}

/** Share of the graph's nodes that a stored layout already places. */
export function layoutCoverage(input: LayoutInput, l: Layout): number {
  if (input.nodes.length === 0) return 1;
  return input.nodes.filter((n) => l.positions[n.id]).length / input.nodes.length;
}

/**
 * A box that grew to take a new node may now cover a neighbour box. Only then is the
 * neighbour moved, right (or down) by as much as the box grew; nothing else moves.
 */
function pushAsideGrown(prev: Layout, out: Layout, top: LayoutNode[]): void {
  for (const g of top) {
    const before = prev.sizes[g.id];
    const now = out.sizes[g.id];
    const at = out.positions[g.id];
    if (!before || !now || !at || (now.width <= before.width && now.height <= before.height)) continue;
    const dw = now.width - before.width;
    const dh = now.height - before.height;
    for (const o of top) {
      const p = out.positions[o.id];
      const s = out.sizes[o.id] ?? { width: o.width, height: o.height };
      if (o.id === g.id || !p) continue;
      const hit = p.x < at.x + now.width && at.x < p.x + s.width && p.y < at.y + now.height && at.y < p.y + s.height;
      if (!hit) continue;
      if (dw > 0 && p.x >= at.x + before.width) p.x += dw + GAP;
      else if (dh > 0 && p.y >= at.y + before.height) p.y += dh + GAP;
    }
  }
}
