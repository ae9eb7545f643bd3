import { describe, expect, it } from 'vitest';
import { applyPatch } from '../../../../protocol/src/index.js';
import { buildGraph } from '../../../../renderer/src/graph/build-graph.js';
import { BOX_GAP, FIT_PADDING, layoutBoxes, layoutGraph } from '../../../../renderer/src/graph/layout-graph.js';
import { toLayoutInput } from '../../../../renderer/src/graph/layout-input.js';
import type { Layout } from '../../../../renderer/src/graph/layout-types.js';
import { layoutCoverage, mergeLayout, nextSlot } from '../../../../renderer/src/graph/merge-layout.js';
import { HOST, iface, labSnapshot, manyNamespaces, ns, PROC, WEB } from '../../../fixtures/snapshots/lab-snapshot.js';

const abs = (l: Layout, id: string, parent: string | null) => {
  const p = l.positions[id];
  const o = parent ? l.positions[parent] : { x: 0, y: 0 };
  return p && o ? { x: p.x + o.x, y: p.y + o.y } : null;
};

/** The picture's box (top-level boxes) and the zoom a Fit would show it at on a canvas. */
function picture(l: Layout, ids: string[], canvas = { width: 1600, height: 916 }) {
  const boxes = ids.map((id) => ({ ...l.positions[id]!, ...(l.sizes[id] ?? { width: 0, height: 0 }) }));
  const w = Math.max(...boxes.map((b) => b.x + b.width)) - Math.min(...boxes.map((b) => b.x));
  const h = Math.max(...boxes.map((b) => b.y + b.height)) - Math.min(...boxes.map((b) => b.y));
  return { w, h, zoom: Math.min(canvas.width / (w * (1 + FIT_PADDING)), canvas.height / (h * (1 + FIT_PADDING))), boxes };
}
const overlap = (a: { x: number; y: number; width: number; height: number }, b: typeof a) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

describe('layoutGraph (host tiers, boxes packed to the canvas)', () => {
  it('places every node, sizes every box, and draws bridge above its ports above the namespaces', async () => {
    const g = buildGraph(labSnapshot());
    const l = await layoutGraph(toLayoutInput(g));
    for (const n of g.nodes) expect(l.positions[n.id]).toBeDefined();
    for (const n of g.nodes.filter((n) => n.type === 'namespace')) expect(l.sizes[n.id]?.width).toBeGreaterThan(0);
    const bridge = abs(l, `${HOST}/3`, HOST);
    const port = abs(l, `${HOST}/10`, HOST);
    const container = abs(l, `${WEB}/2`, WEB);
    expect(bridge && port && bridge.y < port.y).toBe(true);
    expect(port && container && port.y < container.y).toBe(true);
    // Children sit inside their box.
    const box = l.sizes[WEB];
    const child = l.positions[`${WEB}/2`];
    expect(box && child && child.x >= 0 && child.y >= 0 && child.x < box.width && child.y < box.height).toBe(true);
  });

  it('lays out 200 namespaces (~800 nodes) fast enough for the UI thread, in rows the shape of the canvas', async () => {
    const g = buildGraph(manyNamespaces(200));
    const t = performance.now();
    const l = await layoutGraph(toLayoutInput(g, { width: 1600, height: 916 }));
    // Cold (first JIT) on a loaded 2-core machine; warm it takes 5–30 ms (ELK took 1–2 s).
    expect(performance.now() - t).toBeLessThan(500);
    expect(Object.keys(l.positions)).toHaveLength(g.nodes.length);
    const p = picture(l, g.nodes.filter((n) => n.type === 'namespace').map((n) => n.id));
    expect(p.w / p.h).toBeGreaterThan(1);
    expect(p.w / p.h).toBeLessThan(2.5);
  });

  it('20 namespaces (and the Docker lab\'s 4) on a 1600×1000 window: no strip, no overlap, a Fit at ≥ 0.7', () => {
    const g = buildGraph(manyNamespaces(20));
    const l = layoutBoxes(toLayoutInput(g, { width: 1600, height: 916 }));
    const ids = g.nodes.filter((n) => n.type === 'namespace').map((n) => n.id);
    const p = picture(l, ids);
    // 24 boxes here; test/e2e/layout.test.ts measures the real 20-namespace host in Chromium (0.87).
    expect(p.zoom).toBeGreaterThanOrEqual(0.7);
    expect(new Set(p.boxes.map((b) => b.y)).size).toBeGreaterThanOrEqual(3);
    for (let i = 0; i < p.boxes.length; i++) for (let j = i + 1; j < p.boxes.length; j++) expect(overlap(p.boxes[i]!, p.boxes[j]!)).toBe(false);
    // The same host on a tall, narrow canvas takes a tall, narrow shape.
    const tall = picture(layoutBoxes(toLayoutInput(g, { width: 700, height: 1200 })), ids);
    expect(tall.w / tall.h).toBeLessThan(p.w / p.h);
  });

  it('boxes follow the order of the host ports they hang off; a port mapping\'s arrow does not reorder them', () => {
    const s = manyNamespaces(3);
    s.portMappings.push({ ns: HOST, proto: 'tcp', hostIp: '0.0.0.0', hostPort: 90, targetIp: '10.200.0.4', targetPort: 80, targetInterface: 'ns:4026540002/2', chains: ['DNAT'], localAccess: true, owner: 'user' });
    const l = layoutBoxes(toLayoutInput(buildGraph(s), { width: 1600, height: 916 }));
    const x = (k: number) => l.positions[`ns:${4026540000 + k}`]!;
    const order = [0, 1, 2].map(x).map((p) => p.y * 10000 + p.x);
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it('two boxes joined by a veth (no host link) sit next to each other', () => {
    const s = manyNamespaces(6);
    const a = ns(4026539001, 'named', { name: 'left' });
    const b = ns(4026539002, 'named', { name: 'right' });
    s.namespaces.push(a, ns(4026539003, 'named', { name: 'alone' }), b);
    s.interfaces.push(iface(a.id, 2, 'to-right', 'veth', { peer: `${b.id}/2` }), iface(b.id, 2, 'to-left', 'veth', { peer: `${a.id}/2` }));
    const l = layoutBoxes(toLayoutInput(buildGraph(s), { width: 1600, height: 916 }));
    const pa = l.positions[a.id]!;
    const pb = l.positions[b.id]!;
    // Beside it in its row, or (the row full) right under it.
    const beside = pb.y === pa.y && pb.x === pa.x + l.sizes[a.id]!.width + BOX_GAP.x;
    const under = pb.x === pa.x && pb.y === pa.y + l.sizes[a.id]!.height + BOX_GAP.y;
    expect(beside || under).toBe(true);
  });
});

describe('mergeLayout (stable layout)', () => {
  it('keeps every position when a patch adds one veth pair and a namespace, and places the new nodes', async () => {
    const before = labSnapshot();
    const g0 = buildGraph(before);
    const l0 = await layoutGraph(toLayoutInput(g0));
    const nsNew = ns(4026532600, 'named', { name: 'ns2' });
    const after = applyPatch(before, {
      takenAt: 'x',
      upsertNamespaces: [nsNew],
      upsertInterfaces: [iface(HOST, 20, 'veth02', 'veth', { master: `${HOST}/3`, peer: `${nsNew.id}/2` }), iface(nsNew.id, 2, 'eth0', 'veth', { peer: `${HOST}/20` })],
    });
    const g1 = buildGraph(after);
    const l1 = mergeLayout(toLayoutInput(g1), l0);
    // Everything stays, except a box the grown host box would now cover: it only steps right.
    for (const n of g0.nodes) if (n.id !== PROC) expect(l1.positions[n.id]).toEqual(l0.positions[n.id]);
    const p0 = l0.positions[PROC];
    const p1 = l1.positions[PROC];
    expect(p1?.y).toBe(p0?.y);
    expect((p1?.x ?? 0) >= (p0?.x ?? 0)).toBe(true);
    expect(l1.positions[`${HOST}/20`]).toBeDefined();
    expect(l1.positions[nsNew.id]).toBeDefined();
    // The new port joins the row of the bridge's other port and does not overlap it.
    const sib = l0.positions[`${HOST}/10`];
    const mine = l1.positions[`${HOST}/20`];
    expect(mine?.y).toBe(sib?.y);
    expect(mine && sib && mine.x >= sib.x + 196).toBe(true);
    // The host box grew to hold it.
    expect((l1.sizes[HOST]?.width ?? 0) >= (mine?.x ?? 0) + 196).toBe(true);
  });

  it('drops removed nodes and reports how much of a stored layout still fits', async () => {
    const g0 = buildGraph(labSnapshot());
    const l0 = await layoutGraph(toLayoutInput(g0));
    const s = labSnapshot();
    s.namespaces = s.namespaces.filter((n) => n.id !== WEB);
    s.interfaces = s.interfaces.filter((i) => i.ns !== WEB);
    s.portMappings = [];
    const input = toLayoutInput(buildGraph(s));
    const l1 = mergeLayout(input, l0);
    expect(l1.positions[WEB]).toBeUndefined();
    expect(layoutCoverage(input, l0)).toBe(1);
    expect(layoutCoverage(input, { positions: {}, sizes: {} })).toBe(0);
  });
});

describe('nextSlot (where a new box lands)', () => {
  it('the next place in the last row, else a new row under everything — never off to the right', () => {
    const row = (y: number, n: number) => Array.from({ length: n }, (_, k) => ({ x: k * 124, y, width: 100, height: 50 }));
    const hub = { x: 0, y: 0, width: 600, height: 80 };
    expect(nextSlot([hub, ...row(116, 5), ...row(202, 2)], { width: 100, height: 50 })).toEqual({ x: 248, y: 202 });
    expect(nextSlot([hub, ...row(116, 5)], { width: 100, height: 50 })).toEqual({ x: 0, y: 202 });
    expect(nextSlot([], { width: 100, height: 50 })).toEqual({ x: 0, y: 0 });
  });
});
