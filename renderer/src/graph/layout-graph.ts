import { MIN_BOX_WIDTH, orderChildren, placeChildren } from './box-contents.js';
import type { Layout, LayoutInput, LayoutNode, Point } from './layout-types.js';
import { packSkyline } from './skyline.js';
import { layoutHosts } from './layout-hosts.js';

/** Room between boxes: beside each other, and between rows (edges run through it). */
export const BOX_GAP = { x: 24, y: 36 } as const;
/** A box other than the first wraps its interfaces at this width: squarish boxes pack better. */
const SMALL_BOX_WRAP = 720;
/** The view's Fit leaves this much room around the picture (App's fitAll; React Flow's padding). */
export const FIT_PADDING = 0.06;
/** The closest a Fit goes: a small lab is shown larger than 1:1 (less empty canvas), but not blown up. */
export const MAX_FIT_ZOOM = 1.5;
const DEFAULT_VIEWPORT = { width: 1600, height: 950 };
const CANDIDATES = 28;

interface Box {
  id: string;
  tiers: LayoutNode[][];
  /** Not a namespace box: a node of its own at the top level. */
  loose?: LayoutNode;
}

/**
 * The whole picture, pure and fast (a few ms for 200 namespaces, so it runs on the UI thread):
 * the first box — the host namespace — on top, its interfaces in tiers (uplinks, bridges, their
 * ports); every other box packed under it in reading order, each one near the host interface it
 * links to, boxes linked to each other side by side. The strip width is the one whose picture
 * fits the canvas at the largest zoom (never one long strip), so a Fit shows text that can be read.
 */
export function layoutBoxes(input: LayoutInput): Layout {
  const kids = new Map<string | null, LayoutNode[]>();
  for (const n of input.nodes) (kids.get(n.parentId) ?? kids.set(n.parentId, []).get(n.parentId))?.push(n);
  const top = kids.get(null) ?? [];
  const parentOf = new Map(input.nodes.map((n) => [n.id, n.parentId]));
  // Each box's own inner edges, found once.
  const inner = new Map<string, LayoutInput['edges']>();
  for (const e of input.edges) {
    const p = parentOf.get(e.source);
    if (p && p === parentOf.get(e.target)) (inner.get(p) ?? inner.set(p, []).get(p))?.push(e);
  }
  const boxes: Box[] = top.map((n) => (n.group ? { id: n.id, tiers: orderChildren(kids.get(n.id) ?? [], inner.get(n.id) ?? []) } : { id: n.id, tiers: [], loose: n }));
  const [hub, ...rest] = boxes;
  const ordered = hub ? [hub, ...orderBoxes(hub, rest, input.edges, parentOf)] : [];

  const viewport = input.viewport ?? DEFAULT_VIEWPORT;
  const widest = Math.max(MIN_BOX_WIDTH, ...input.nodes.filter((n) => !n.group).map((n) => n.width + 40));
  // A box's contents depend on the wrap only below SMALL_BOX_WRAP (the hub's, always): cached per wrap.
  const cache = new Map<string, ReturnType<typeof placeChildren>>();
  const place = (b: Box, wrap: number) => {
    const key = `${b.id}|${wrap}`;
    let s = cache.get(key);
    if (!s) cache.set(key, (s = placeChildren(b.tiers, wrap)));
    return s;
  };
  const sized = (wrap: number) => ordered.map((b) => (b.loose ? { width: b.loose.width, height: b.loose.height, positions: {} } : place(b, b === hub ? wrap : Math.min(wrap, SMALL_BOX_WRAP))));
  const full = sized(Number.MAX_SAFE_INTEGER);
  const lo = Math.max(widest, ...full.filter((_, k) => ordered[k] !== hub).map((s) => s.width));
  const hi = Math.max(lo, full.reduce((a, s) => a + s.width + BOX_GAP.x, 0));
  let best: { score: number; fit: number; wrap: number } | null = null;
  for (let k = 0; k < CANDIDATES; k++) {
    const wrap = Math.round(lo * (hi / lo) ** (k / (CANDIDATES - 1)));
    const packed = packUnderHub(sized(wrap), wrap);
    const zoom = Math.min(viewport.width / (packed.width * (1 + FIT_PADDING)), viewport.height / (packed.height * (1 + FIT_PADDING)), MAX_FIT_ZOOM);
    // Largest zoom first; among pictures that fit as well, the shape closest to the canvas' — or,
    // when several fit at the closest zoom (a small lab), the one with the fewest rows.
    const fit = zoom >= MAX_FIT_ZOOM ? packed.height : Math.abs(Math.log(packed.width / packed.height / (viewport.width / viewport.height)));
    const score = Math.round(zoom * 200);
    if (best === null || score > best.score || (score === best.score && fit < best.fit)) best = { score, fit, wrap };
  }
  const wrap = best?.wrap ?? lo;
  const sizes = sized(wrap);
  const packed = packUnderHub(sizes, wrap);
  const layout: Layout = { positions: {}, sizes: {} };
  ordered.forEach((b, k) => {
    const at = packed.placed[k] as Point;
    const s = sizes[k]!;
    layout.positions[b.id] = { x: at.x, y: at.y };
    if (b.loose) return;
    layout.sizes[b.id] = { width: s.width, height: s.height };
    for (const [id, p] of Object.entries(s.positions)) layout.positions[id] = p;
  });
  return layout;
}

/** The first box alone on top (edges from its ports run down), the others packed under it. */
function packUnderHub(sizes: readonly { width: number; height: number }[], wrap: number): { placed: Point[]; width: number; height: number } {
  const [hub, ...rest] = sizes;
  if (!hub) return { placed: [], width: 0, height: 0 };
  if (rest.length === 0) return { placed: [{ x: 0, y: 0 }], width: hub.width, height: hub.height };
  const top = hub.height + BOX_GAP.y;
  const below = packSkyline(rest, wrap, BOX_GAP);
  return { placed: [{ x: 0, y: 0 }, ...below.placed.map((p) => ({ x: p.x, y: p.y + top }))], width: Math.max(hub.width, below.width), height: top + below.height };
}

/** Async, as React Flow's examples call a layout (and the tests and App expect a promise). */
export async function layoutGraph(input: LayoutInput): Promise<Layout> {
  return layoutHosts(input, layoutBoxes);
}

/**
 * Boxes linked to the host first, in the order of the host interface they hang off (so they sit
 * under their bridge's ports), then the rest by what they link to: a veth between two boxes
 * keeps the two side by side.
 */
function orderBoxes(hub: Box, rest: Box[], edges: LayoutInput['edges'], parentOf: Map<string, string | null>): Box[] {
  // A port mapping's arrow does not anchor its target's box: the link it reaches through does.
  const hubOrder = new Map(hub.tiers.flat().filter((c) => c.role !== 'mapping').map((c, k) => [c.id, k]));
  const boxOf = (id: string): string | null => {
    const p = parentOf.get(id);
    return p === undefined ? null : (p ?? id);
  };
  const anchor = new Map<string, number>();
  const links = new Map<string, string[]>();
  for (const e of edges) {
    const a = boxOf(e.source);
    const b = boxOf(e.target);
    if (a === null || b === null || a === b) continue;
    for (const [here, there, end] of [[a, b, e.source], [b, a, e.target]] as const) {
      if (here === hub.id) {
        const k = hubOrder.get(end);
        if (k !== undefined && k < (anchor.get(there) ?? Infinity)) anchor.set(there, k);
      } else if (there !== hub.id) (links.get(here) ?? links.set(here, []).get(here))?.push(there);
    }
  }
  const byId = new Map(rest.map((b) => [b.id, b]));
  const out: Box[] = [];
  const seen = new Set<string>();
  // Each box, then (breadth first) the boxes linked to it that no host interface anchors.
  const visit = (start: Box) => {
    const queue = [start];
    while (queue.length) {
      const b = queue.shift()!;
      if (seen.has(b.id)) continue;
      seen.add(b.id);
      out.push(b);
      for (const id of links.get(b.id) ?? []) {
        const next = byId.get(id);
        if (next && !seen.has(id) && !anchor.has(id)) queue.push(next);
      }
    }
  };
  const anchored = rest.filter((b) => anchor.has(b.id)).sort((a, b) => (anchor.get(a.id) ?? 0) - (anchor.get(b.id) ?? 0));
  for (const b of [...anchored, ...rest]) visit(b);
  return out;
}
