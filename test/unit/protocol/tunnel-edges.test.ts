import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mergeSnapshots, type HostPicture } from '../../../protocol/src/merge-snapshots.js';
import { Snapshot } from '../../../protocol/src/snapshot.js';
import { tunnelEdges } from '../../../protocol/src/tunnel-edges.js';

// Two real hosts' snapshots (test/fixtures/tunnels/README): vx42 with a fixed remote, vx100 fed by
// bridge fdb, vx7 to 192.0.2.7 which no host holds. Their inodes differ, their ifindexes repeat.
const read = (f: string): Snapshot => Snapshot.parse(JSON.parse(readFileSync(join(__dirname, '../../fixtures/tunnels', f), 'utf8')));
const a = read('host-a.snapshot.json');
const b = read('host-b.snapshot.json');
const entry = (name: string, local = false): HostPicture['entry'] => ({ name, local, destination: local ? null : `root@${name}`, hostname: name, kernel: null, state: 'live', error: null, takenAt: null });

describe('tunnelEdges', () => {
  const merged = mergeSnapshots([
    { entry: entry('hosta'), snapshot: a },
    { entry: entry('hostb'), snapshot: b },
  ]);
  const id = (host: string, name: string): string => merged.interfaces.find((i) => i.id.startsWith(`host:${host}/`) && i.name === name)?.id ?? '?';

  it('joins vx42 (fixed remote) and vx100 (fdb far end) between both hosts, once each', () => {
    const byVni = (vni: number) => merged.tunnels?.filter((t) => t.vni === vni).map((t) => [t.a, t.b]);
    expect(byVni(42)).toEqual([[id('hosta', 'vx42'), id('hostb', 'vx42')]]);
    expect(byVni(100)).toEqual([[id('hosta', 'vx100'), id('hostb', 'vx100')]]);
  });

  it('a far end no host on the canvas holds is an open edge to its address', () => {
    expect(merged.tunnels?.filter((t) => t.b === null).map((t) => [t.a, t.remote])).toEqual([
      [id('hosta', 'vx7'), '192.0.2.7'],
      [id('hostb', 'vx7'), '192.0.2.7'],
    ]);
  });

  it('host a alone: every far end is open (10.77.0.3 is on no interface it has)', () => {
    const edges = tunnelEdges(a.interfaces).map((e) => [e.vni, e.b, e.remote]);
    expect(edges.sort((x, y) => Number(x[0]) - Number(y[0]))).toEqual([
      [7, null, '192.0.2.7'],
      [42, null, '10.77.0.3'],
      [100, null, '10.77.0.3'],
    ]);
  });

  it('a VNI that does not match is not joined', () => {
    const other = { ...b, interfaces: b.interfaces.map((i) => (i.name === 'vx42' && i.tunnel ? { ...i, tunnel: { ...i.tunnel, vni: 43 } } : i)) };
    const m = mergeSnapshots([
      { entry: entry('hosta'), snapshot: a },
      { entry: entry('hostb'), snapshot: other },
    ]);
    expect(m.tunnels?.find((t) => t.vni === 42)).toMatchObject({ b: null, remote: '10.77.0.3' });
  });
});
