import { GROUP_PADDING } from './node-size.js';
import type { LayoutNode, Point } from './layout-types.js';

/** Room between children of a box, in a row and between rows; between tiers. */
export const CHILD_GAP = 16;
const TIER_GAP = 28;
export const MIN_BOX_WIDTH = 180;

/**
 * A box's children in tiers, top to bottom: what nothing in the box links to (uplinks, lone
 * veth ends, port mappings, the loopback last), then what links to others here (bridges), then
 * what is linked to (their ports, grouped by bridge) — so edges inside a box run downwards and
 * edges to the boxes below leave from the bottom tier. A box without inner links is one tier.
 * Each tier wraps at `wrap`. The order never depends on `wrap`.
 */
export function orderChildren(children: readonly LayoutNode[], edges: readonly { source: string; target: string }[]): LayoutNode[][] {
  const here = new Set(children.map((c) => c.id));
  const sourceOf = new Map<string, string>();
  const sources = new Set<string>();
  for (const e of edges) {
    if (!here.has(e.source) || !here.has(e.target) || e.source === e.target) continue;
    sources.add(e.source);
    if (!sourceOf.has(e.target)) sourceOf.set(e.target, e.source);
  }
  const rank = (c: LayoutNode) => (c.role === 'loopback' ? 2 : c.role === 'mapping' ? 1 : 0);
  const tier0 = children.filter((c) => !sourceOf.has(c.id) && !sources.has(c.id)).sort((a, b) => rank(a) - rank(b));
  const tier1 = children.filter((c) => sources.has(c.id) && !sourceOf.has(c.id));
  // A node both linked to and linking on (a port that is itself a bridge's…) sits with the linked.
  const linked = children.filter((c) => sourceOf.has(c.id));
  const at = new Map(tier1.map((c, k) => [c.id, k]));
  const tier2 = linked.map((c, k) => ({ c, k, s: at.get(sourceOf.get(c.id) ?? '') ?? tier1.length })).sort((a, b) => a.s - b.s || a.k - b.k).map((x) => x.c);
  return [tier0, tier1, tier2].filter((t) => t.length > 0);
}

/** Positions (relative to the box) for tiers wrapped at `wrap`, and the box's size. */
export function placeChildren(tiers: readonly LayoutNode[][], wrap: number): { positions: Record<string, Point>; width: number; height: number } {
  const positions: Record<string, Point> = {};
  let y = GROUP_PADDING.top;
  let width = MIN_BOX_WIDTH;
  let any = false;
  for (const tier of tiers) {
    let x = GROUP_PADDING.left;
    let rowH = 0;
    for (const c of tier) {
      if (x > GROUP_PADDING.left && x + c.width + GROUP_PADDING.right > wrap) {
        x = GROUP_PADDING.left;
        y += rowH + CHILD_GAP;
        rowH = 0;
      }
      positions[c.id] = { x, y };
      x += c.width + CHILD_GAP;
      rowH = Math.max(rowH, c.height);
      width = Math.max(width, x - CHILD_GAP + GROUP_PADDING.right);
      any = true;
    }
    y += rowH + TIER_GAP;
  }
  const height = any ? y - TIER_GAP + GROUP_PADDING.bottom : GROUP_PADDING.top + 8;
  return { positions, width, height };
}
