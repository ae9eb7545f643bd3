import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mergeSnapshots, type HostPicture } from '../../../../protocol/src/merge-snapshots.js';
import { Snapshot } from '../../../../protocol/src/snapshot.js';
import { buildGraph } from '../../../../renderer/src/graph/build-graph.js';
import { layoutGraph } from '../../../../renderer/src/graph/layout-graph.js';
import { toLayoutInput } from '../../../../renderer/src/graph/layout-input.js';

// Two real hosts joined by VXLANs (test/fixtures/tunnels/README) on one canvas (issue 14).
const read = (f: string): Snapshot => Snapshot.parse(JSON.parse(readFileSync(join(__dirname, '../../../fixtures/tunnels', f), 'utf8')));
const a = read('host-a.snapshot.json');
const b = read('host-b.snapshot.json');
const entry = (name: string, local: boolean, state: HostPicture['entry']['state'] = 'live'): HostPicture['entry'] => ({ name, local, destination: local ? null : `root@${name}`, hostname: name, kernel: null, state, error: null, takenAt: null });

describe('buildGraph with several hosts', () => {
  const g = buildGraph(mergeSnapshots([
    { entry: entry('hosta', true), snapshot: a },
    { entry: entry('hostb', false, 'stale'), snapshot: b },
  ]));
  const node = (id: string) => g.nodes.find((n) => n.id === id);
  const vx = (host: 'a' | 'b', name: string) => (host === 'a' ? a.interfaces.find((i) => i.name === name)?.id : `host:hostb/${b.interfaces.find((i) => i.name === name)?.id}`);

  it('a group per host, each host\'s namespaces inside it, parents first', () => {
    expect(g.nodes.filter((n) => n.type === 'host').map((n) => [n.id, n.ariaLabel])).toEqual([
      ['hostgroup:hosta', 'host hosta'],
      ['hostgroup:hostb', 'host hostb, stale'],
    ]);
    for (const ns of g.nodes.filter((n) => n.type === 'namespace')) expect(ns.parentId).toBe(ns.id.startsWith('host:hostb/') ? 'hostgroup:hostb' : 'hostgroup:hosta');
    const index = new Map(g.nodes.map((n, k) => [n.id, k]));
    for (const n of g.nodes) if (n.parentId) expect(index.get(n.parentId)).toBeLessThan(index.get(n.id) ?? -1);
  });

  it('each VXLAN is an edge between both hosts\' devices; one to an address no host holds goes to a "remote" node', () => {
    const tunnels = g.edges.filter((e) => e.kind === 'tunnel');
    const pair = (x?: string, y?: string) => [x, y].sort().join(' ~ ');
    expect(tunnels.filter((e) => !e.target.startsWith('remote:')).map((e) => pair(e.source, e.target)).sort()).toEqual([pair(vx('a', 'vx100'), vx('b', 'vx100')), pair(vx('a', 'vx42'), vx('b', 'vx42'))].sort());
    expect(node('remote:192.0.2.7')).toMatchObject({ type: 'remote', parentId: null, ariaLabel: 'remote 192.0.2.7' });
    expect(tunnels.filter((e) => e.target === 'remote:192.0.2.7').map((e) => e.source).sort()).toEqual([vx('a', 'vx7'), vx('b', 'vx7')].sort());
  });

  it('lays out: every node placed, the host groups sized', async () => {
    const layout = await layoutGraph(toLayoutInput(g));
    for (const n of g.nodes) expect(layout.positions[n.id]).toBeDefined();
    expect(layout.sizes['hostgroup:hostb']?.width).toBeGreaterThan(0);
  });

  it('one host alone keeps its canvas as it was (no group), its far ends as "remote" nodes', () => {
    const one = buildGraph(a);
    expect(one.nodes.some((n) => n.type === 'host')).toBe(false);
    expect(one.nodes.filter((n) => n.type === 'remote').map((n) => n.id)).toEqual(['remote:10.77.0.3', 'remote:192.0.2.7']);
  });
});
