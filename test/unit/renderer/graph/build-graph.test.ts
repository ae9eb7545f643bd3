import { describe, expect, it } from 'vitest';
import { buildGraph } from '../../../../renderer/src/graph/build-graph.js';
import { HOST, labSnapshot, NS1, PROC, WEB } from '../../../fixtures/snapshots/lab-snapshot.js';

describe('buildGraph', () => {
  const g = buildGraph(labSnapshot());
  const node = (id: string) => g.nodes.find((n) => n.id === id);

  it('makes one box per namespace, host first, and puts every interface inside its box', () => {
    const boxes = g.nodes.filter((n) => n.type === 'namespace');
    expect(boxes.map((b) => b.id)).toEqual([HOST, NS1, WEB, PROC]);
    expect(node(`${WEB}/2`)?.parentId).toBe(WEB);
    expect(node(`${HOST}/3`)?.parentId).toBe(HOST);
    // Parents come before their children (React Flow needs that order).
    const index = new Map(g.nodes.map((n, k) => [n.id, k]));
    for (const n of g.nodes) if (n.parentId) expect(index.get(n.parentId)).toBeLessThan(index.get(n.id) ?? -1);
  });

  it('gives every node an accessible name', () => {
    expect(node(HOST)?.ariaLabel).toBe('namespace host');
    expect(node(NS1)?.ariaLabel).toBe('namespace ns1');
    expect(node(WEB)?.ariaLabel).toBe('namespace web');
    expect(node(PROC)?.ariaLabel).toBe('namespace ns:4026532500');
    expect(node(`${HOST}/3`)?.ariaLabel).toBe('bridge docker0');
    expect(node(`${HOST}/12`)?.ariaLabel).toBe('interface veth01 in host');
    expect(node(`${NS1}/2`)?.ariaLabel).toBe('interface eth0 in ns1');
    expect(g.nodes.find((n) => n.type === 'portMapping')?.ariaLabel).toBe('port mapping tcp 0.0.0.0:18080 to 172.17.0.2:80');
  });

  it('draws one edge per veth pair across namespaces, from the host end', () => {
    const veth = g.edges.filter((e) => e.kind === 'veth');
    expect(veth).toHaveLength(2);
    expect(veth).toContainEqual(expect.objectContaining({ source: `${HOST}/12`, target: `${NS1}/2` }));
    expect(veth).toContainEqual(expect.objectContaining({ source: `${HOST}/10`, target: `${WEB}/2` }));
  });

  it('links bridge ports to their bridge and port mapping badges to their target interface', () => {
    expect(g.edges.filter((e) => e.kind === 'port')).toEqual([expect.objectContaining({ source: `${HOST}/3`, target: `${HOST}/10` })]);
    const pm = g.nodes.find((n) => n.type === 'portMapping');
    expect(pm?.parentId).toBe(HOST);
    expect(g.edges.filter((e) => e.kind === 'mapping')).toEqual([expect.objectContaining({ source: pm?.id, target: `${WEB}/2` })]);
  });

  it('draws loopbacks small', () => {
    const lo = node(`${HOST}/1`);
    const eth = node(`${HOST}/2`);
    expect(lo && eth && lo.width < eth.width && lo.height < eth.height).toBe(true);
  });

  it('leaves out edges to interfaces that are not in the snapshot', () => {
    const s = labSnapshot();
    s.interfaces = s.interfaces.filter((i) => i.id !== `${NS1}/2`);
    expect(buildGraph(s).edges.some((e) => e.target === `${NS1}/2`)).toBe(false);
  });
});
