import { describe, expect, it } from 'vitest';
import { applyPatch } from '../../../../protocol/src/index.js';
import { buildGraph } from '../../../../renderer/src/graph/build-graph.js';
import { layoutGraph } from '../../../../renderer/src/graph/layout-graph.js';
import { toLayoutInput } from '../../../../renderer/src/graph/layout-input.js';
import type { Layout } from '../../../../renderer/src/graph/layout-types.js';
import { layoutCoverage, mergeLayout } from '../../../../renderer/src/graph/merge-layout.js';
import { HOST, iface, labSnapshot, manyNamespaces, ns, PROC, WEB } from '../../../fixtures/snapshots/lab-snapshot.js';

const abs = (l: Layout, id: string, parent: string | null) => {
  const p = l.positions[id];
  const o = parent ? l.positions[parent] : { x: 0, y: 0 };
  return p && o ? { x: p.x + o.x, y: p.y + o.y } : null;
};

describe('layoutGraph (ELK)', () => {
  it('places every node, sizes every box, and draws uplink above bridge above namespaces', async () => {
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

  it('lays out 200 namespaces (~800 nodes) well under 2 s', async () => {
    const g = buildGraph(manyNamespaces(200));
    const t = performance.now();
    const l = await layoutGraph(toLayoutInput(g));
    expect(performance.now() - t).toBeLessThan(2000);
    expect(Object.keys(l.positions)).toHaveLength(g.nodes.length);
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
