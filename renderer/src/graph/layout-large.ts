import { GROUP_PADDING } from './node-size.js';
import type { Layout, LayoutInput, LayoutNode } from './layout-types.js';

/** Above this many nodes one compound ELK run is too slow (seconds): such hosts get layoutLarge. */
export const COMPOUND_LIMIT = 300;

const GAP = 20;
const ROW_GAP = 48;

/**
 * For big hosts (hundreds of namespaces) one compound ELK run takes seconds and puts
 * every namespace in a single very wide layer. Instead: the first box (the host
 * namespace) gets tiers — unlinked devices, then bridges, then their ports, wrapped; every other box gets its few interfaces in a row; boxes
 * go in rows under the host, ordered by where their link lands in the host box.
 */
export function layoutLarge(input: LayoutInput): Layout {
  const layout: Layout = { positions: {}, sizes: {} };
  const kids = new Map<string | null, LayoutNode[]>();
  for (const n of input.nodes) (kids.get(n.parentId) ?? kids.set(n.parentId, []).get(n.parentId))?.push(n);
  const groups = (kids.get(null) ?? []).filter((n) => n.group);
  const loose = (kids.get(null) ?? []).filter((n) => !n.group);
  const first = groups[0];
  const parentOf = new Map(input.nodes.map((n) => [n.id, n.parentId]));
  let top = 0;
  // Rows about as wide as a 16:10 screen is for the whole picture, not one long strip.
  const area = input.nodes.filter((n) => !n.group).reduce((a, n) => a + (n.width + GAP * 2) * (n.height + GROUP_PADDING.top + GAP * 2), 0);
  let rowWidth = Math.max(1600, Math.round(Math.sqrt(area * 1.6)));
  if (first) {
    const size = tieredRows(first.id, kids.get(first.id) ?? [], input, layout, rowWidth);
    layout.positions[first.id] = { x: 0, y: 0 };
    top = size.height + ROW_GAP * 2;
    rowWidth = Math.max(rowWidth, size.width);
  }
  // Where each box's link lands in the host box: sort key for the rows.
  const anchor = new Map<string, number>();
  for (const e of input.edges) {
    for (const [here, there] of [[e.source, e.target], [e.target, e.source]] as const) {
      const box = parentOf.get(there);
      const p = layout.positions[here];
      if (box && first && parentOf.get(here) === first.id && p && !anchor.has(box)) anchor.set(box, p.x);
    }
  }
  const rest = groups.slice(1).sort((a, b) => (anchor.get(a.id) ?? Infinity) - (anchor.get(b.id) ?? Infinity));
  let x = 0;
  let rowHeight = 0;
  for (const g of [...rest, ...loose.map((l) => ({ ...l, group: false }))]) {
    const size = g.group ? rowOfChildren(g.id, kids.get(g.id) ?? [], layout) : { width: g.width, height: g.height };
    if (x > 0 && x + size.width > rowWidth) {
      x = 0;
      top += rowHeight + ROW_GAP;
      rowHeight = 0;
    }
    layout.positions[g.id] = { x, y: top };
    x += size.width + GAP * 2;
    rowHeight = Math.max(rowHeight, size.height);
  }
  return layout;
}

/** A small box's interfaces side by side, linked ones first, the loopback last. */
function rowOfChildren(id: string, children: LayoutNode[], layout: Layout): { width: number; height: number } {
  let x = GROUP_PADDING.left;
  let h = 0;
  const ordered = [...children].sort((a, b) => a.height === b.height ? 0 : b.height - a.height);
  for (const c of ordered) {
    layout.positions[c.id] = { x, y: GROUP_PADDING.top };
    x += c.width + GAP;
    h = Math.max(h, c.height);
  }
  const size = { width: Math.max(180, x - GAP + GROUP_PADDING.right), height: GROUP_PADDING.top + h + GROUP_PADDING.bottom + (children.length ? 0 : 8) };
  layout.sizes[id] = size;
  return size;
}


/** Tier 0: nothing inside links to it; tier 1: it links to others here (bridges); tier 2: linked to (ports). */
function tieredRows(id: string, children: LayoutNode[], input: LayoutInput, layout: Layout, wrap: number): { width: number; height: number } {
  const here = new Set(children.map((c) => c.id));
  const sources = new Set<string>();
  const targets = new Set<string>();
  for (const e of input.edges) {
    if (!here.has(e.source) || !here.has(e.target)) continue;
    sources.add(e.source);
    targets.add(e.target);
  }
  const tierOf = (c: LayoutNode) => (targets.has(c.id) ? 2 : sources.has(c.id) ? 1 : 0);
  let y = GROUP_PADDING.top;
  let width = 180;
  for (const tier of [0, 1, 2]) {
    let x = GROUP_PADDING.left;
    let rowH = 0;
    for (const c of children.filter((k) => tierOf(k) === tier)) {
      if (x > GROUP_PADDING.left && x + c.width > wrap) {
        x = GROUP_PADDING.left;
        y += rowH + GAP;
        rowH = 0;
      }
      layout.positions[c.id] = { x, y };
      x += c.width + GAP;
      rowH = Math.max(rowH, c.height);
      width = Math.max(width, x - GAP + GROUP_PADDING.right);
    }
    if (rowH > 0) y += rowH + ROW_GAP;
  }
  const size = { width, height: y - ROW_GAP + GROUP_PADDING.bottom };
  layout.sizes[id] = size;
  return size;
}
