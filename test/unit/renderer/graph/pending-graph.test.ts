import { describe, expect, it } from 'vitest';
import { buildGraph } from '../../../../renderer/src/graph/build-graph.js';
import { toLayoutInput } from '../../../../renderer/src/graph/layout-input.js';
import { pendingIfaceId, pendingNsId, pendingTwins, withPending } from '../../../../renderer/src/graph/pending-graph.js';
import { adoptTwins, retire } from '../../../../renderer/src/graph/twin-layout.js';
import type { Retired } from '../../../../renderer/src/graph/twin-layout.js';
import { HOST, NS1, iface, labSnapshot, ns } from '../../../fixtures/snapshots/lab-snapshot.js';

// Issue 15, item 4: the plan waiting to be applied is drawn on the canvas, dashed.
describe('withPending', () => {
  const plan = [
    { op: 'netns.create', name: 'lab1' },
    { op: 'veth.create', a: { name: 'v-lab1' }, b: { name: 'eth0', ns: 'lab1' } },
    { op: 'link.set', name: 'v-lab1', master: 'docker0', up: true },
    { op: 'addr.add', dev: 'eth0', cidr: '10.9.0.2/24', ns: 'lab1' },
    { op: 'addr.add', dev: 'eth0', cidr: '10.0.0.7/24', ns: 'ns1' },
  ] as const;

  it('adds what the plan makes and marks it, with the edges it draws; changed interfaces are marked too', () => {
    const s = labSnapshot();
    const { snapshot, pending } = withPending(s, [...plan]);
    const lab = pendingNsId('lab1');
    const end = pendingIfaceId(HOST, 'v-lab1');
    const inner = pendingIfaceId(lab, 'eth0');
    expect(snapshot.namespaces.find((n) => n.id === lab)).toMatchObject({ name: 'lab1', kind: 'named' });
    expect(snapshot.interfaces.find((i) => i.id === end)).toMatchObject({ ns: HOST, kind: 'veth', peer: inner, master: `${HOST}/3`, up: true });
    expect(snapshot.interfaces.find((i) => i.id === inner)).toMatchObject({ ns: lab, addresses: ['10.9.0.2/24'], up: false });
    expect(snapshot.interfaces.find((i) => i.id === `${NS1}/2`)?.addresses).toEqual(['10.0.0.2/24', '10.0.0.7/24']);
    expect([...pending].sort()).toEqual([lab, pendingIfaceId(lab, 'lo'), end, inner, `${NS1}/2`, `port:${end}`, `veth:${end}`, `veth:${inner}`].sort());
    // The host's own snapshot is untouched.
    expect(s.interfaces.find((i) => i.id === `${NS1}/2`)?.addresses).toEqual(['10.0.0.2/24']);

    const g = buildGraph(snapshot, pending);
    expect(g.nodes.find((n) => n.id === lab)).toMatchObject({ pending: true, ariaLabel: 'namespace lab1 (pending)' });
    expect(g.nodes.find((n) => n.id === `${HOST}/3`)?.pending).toBeUndefined();
    expect(g.edges.find((e) => e.id === `port:${end}`)?.pending).toBe(true);
    expect(g.edges.find((e) => e.id === `veth:${end}`)?.pending).toBe(true);
  });

  it('an empty plan draws the host as it is', () => {
    const s = labSnapshot();
    expect(withPending(s, [])).toEqual({ snapshot: s, pending: new Set() });
  });

  it('the real namespace and interfaces take the places their dashed twins had', () => {
    const s = labSnapshot();
    const drawn = withPending(s, [...plan]);
    const before = { positions: { [pendingNsId('lab1')]: { x: 900, y: 400 }, [pendingIfaceId(pendingNsId('lab1'), 'eth0')]: { x: 14, y: 42 } }, sizes: { [pendingNsId('lab1')]: { width: 330, height: 115 } } };
    const retired: Retired = new Map();
    // Applied: the queue is empty, the dashed nodes go before the real ones arrive.
    retire(before, { positions: {}, sizes: {} }, retired);
    const real = labSnapshot();
    const lab = ns(4026539900, 'named', { name: 'lab1' });
    real.namespaces.push(lab);
    real.interfaces.push(iface(lab.id, 2, 'eth0', 'veth'));
    const input = toLayoutInput(buildGraph(real));
    const l = adoptTwins({ positions: {}, sizes: {} }, input, (id) => pendingTwins(real, id), retired);
    expect(l.positions[lab.id]).toEqual({ x: 900, y: 400 });
    expect(l.sizes[lab.id]).toEqual({ width: 330, height: 115 });
    expect(l.positions[`${lab.id}/2`]).toEqual({ x: 14, y: 42 });
    expect(drawn.pending.size).toBeGreaterThan(0);
  });
});
