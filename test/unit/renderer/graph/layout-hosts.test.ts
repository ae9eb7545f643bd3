import { describe, expect, it } from 'vitest';
import { layoutGraph } from '../../../../renderer/src/graph/layout-graph.js';
import { newHostGroup } from '../../../../renderer/src/graph/layout-hosts.js';
import type { LayoutInput, LayoutNode } from '../../../../renderer/src/graph/layout-types.js';

const group = (id: string, parentId: string | null): LayoutNode => ({ id, parentId, width: 0, height: 0, group: true });
const iface = (id: string, parentId: string): LayoutNode => ({ id, parentId, width: 196, height: 56, group: false });

/** Two hosts, each with its host namespace (a bridge and a port) and two namespaces; a tunnel between them, one to an address no host holds. */
function twoHosts(): LayoutInput {
  const nodes: LayoutNode[] = [];
  const edges: LayoutInput['edges'] = [];
  for (const h of ['a', 'b']) {
    nodes.push(group(`hostgroup:${h}`, null), group(`${h}/host`, `hostgroup:${h}`), iface(`${h}/br0`, `${h}/host`), iface(`${h}/vx0`, `${h}/host`));
    for (const k of [1, 2]) {
      nodes.push(group(`${h}/ns${k}`, `hostgroup:${h}`), iface(`${h}/ns${k}/eth0`, `${h}/ns${k}`), iface(`${h}/v${k}`, `${h}/host`));
      edges.push({ id: `veth:${h}${k}`, source: `${h}/v${k}`, target: `${h}/ns${k}/eth0` }, { id: `port:${h}${k}`, source: `${h}/br0`, target: `${h}/v${k}` });
    }
  }
  nodes.push({ id: 'remote:192.0.2.7', parentId: null, width: 170, height: 32, group: false });
  edges.push({ id: 'tunnel:ab', source: 'a/vx0', target: 'b/vx0' }, { id: 'tunnel:b-far', source: 'b/vx0', target: 'remote:192.0.2.7' });
  return { nodes, edges, viewport: { width: 1600, height: 1000 } };
}

describe('several hosts on one canvas', () => {
  it('lays each host group out on its own, side by side, its namespaces inside it, the far end after them', async () => {
    const l = await layoutGraph(twoHosts());
    const [a, b] = [l.sizes['hostgroup:a']!, l.sizes['hostgroup:b']!];
    const [pa, pb] = [l.positions['hostgroup:a']!, l.positions['hostgroup:b']!];
    expect(pb.x).toBeGreaterThanOrEqual(pa.x + a.width);
    for (const h of ['a', 'b']) {
      const box = l.sizes[`hostgroup:${h}`]!;
      for (const ns of ['host', 'ns1', 'ns2']) {
        const at = l.positions[`${h}/${ns}`]!;
        const size = l.sizes[`${h}/${ns}`]!;
        // Relative to the host group, below its title, within it.
        expect(at.y).toBeGreaterThanOrEqual(40);
        expect(at.x + size.width).toBeLessThanOrEqual(box.width);
        expect(at.y + size.height).toBeLessThanOrEqual(box.height);
      }
      // The host namespace on top, as on a one-host canvas.
      expect(l.positions[`${h}/ns1`]!.y).toBeGreaterThan(l.positions[`${h}/host`]!.y);
    }
    expect(l.positions['remote:192.0.2.7']!.x).toBeGreaterThanOrEqual(pb.x + b.width);
  });

  it('one host: the one-host layout, unchanged', async () => {
    const one = twoHosts();
    const single: LayoutInput = { nodes: one.nodes.filter((n) => n.id.startsWith('a/')).map((n) => (n.parentId === 'hostgroup:a' ? { ...n, parentId: null } : n)), edges: one.edges.filter((e) => e.source.startsWith('a/') && e.target.startsWith('a/')) };
    const l = await layoutGraph(single);
    expect(l.positions['a/host']).toEqual({ x: 0, y: 0 });
    expect(Object.keys(l.sizes).sort()).toEqual(['a/host', 'a/ns1', 'a/ns2']);
  });
});

describe('when a host joins the canvas', () => {
  it('asks for a fresh layout (every namespace moves into a group); a namespace added to a known host does not', async () => {
    const both = twoHosts();
    const laid = await layoutGraph(both);
    expect(newHostGroup(both, laid)).toBe(false);
    const withoutB = { positions: Object.fromEntries(Object.entries(laid.positions).filter(([id]) => !id.includes('b'))), sizes: laid.sizes };
    expect(newHostGroup(both, withoutB)).toBe(true);
    const more: LayoutInput = { ...both, nodes: [...both.nodes, group('a/ns3', 'hostgroup:a')] };
    expect(newHostGroup(more, laid)).toBe(false);
    // Host b was placed while it connected (an empty group); now its namespaces came.
    const placedEmpty = { positions: Object.fromEntries(Object.entries(laid.positions).filter(([id]) => !id.startsWith('b/'))), sizes: laid.sizes };
    expect(newHostGroup(both, placedEmpty)).toBe(true);
  });
});
