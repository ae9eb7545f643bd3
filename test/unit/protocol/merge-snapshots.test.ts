import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { splitId, stripIds } from '../../../protocol/src/host-ids.js';
import { mergeSnapshots, type HostPicture } from '../../../protocol/src/merge-snapshots.js';
import { Snapshot } from '../../../protocol/src/snapshot.js';

const read = (f: string): Snapshot => Snapshot.parse(JSON.parse(readFileSync(join(__dirname, '../../fixtures/tunnels', f), 'utf8')));
const a = read('host-a.snapshot.json');
const entry = (name: string, local = false, state: HostPicture['entry']['state'] = 'live'): HostPicture['entry'] => ({ name, local, destination: local ? null : `root@${name}`, hostname: name, kernel: null, state, error: state === 'failed' ? 'ssh could not log in' : null, takenAt: null });

describe('mergeSnapshots', () => {
  it('the same machine read twice under two names: every id is unique, every reference stays on its host', () => {
    const m = Snapshot.parse(mergeSnapshots([
      { entry: entry('one'), snapshot: a },
      { entry: entry('two'), snapshot: a },
    ]));
    const ids = [...m.namespaces.map((n) => n.id), ...m.interfaces.map((i) => i.id)];
    expect(new Set(ids).size).toBe(ids.length);
    expect(m.interfaces.length).toBe(2 * a.interfaces.length);
    for (const i of m.interfaces) {
      const host = splitId(i.id).host;
      expect(splitId(i.ns).host).toBe(host);
      if (i.master) expect(splitId(i.master).host).toBe(host);
      if (i.peer) expect(splitId(i.peer).host).toBe(host);
    }
    for (const r of m.routes) if (r.dev) expect(splitId(r.dev).host).toBe(splitId(r.ns).host);
  });

  it('the local host keeps its plain ids; a host without a picture is listed and draws nothing', () => {
    const m = mergeSnapshots([
      { entry: entry('local', true), snapshot: a },
      { entry: entry('far', false, 'failed'), snapshot: null },
    ]);
    expect(m.namespaces.map((n) => n.id)).toEqual(a.namespaces.map((n) => n.id));
    expect(m.host.hostname).toBe('hosta');
    expect(m.hosts?.map((h) => [h.name, h.state, h.error])).toEqual([
      ['local', 'live', null],
      ['far', 'failed', 'ssh could not log in'],
    ]);
  });

  it('a request about a remote id goes to that host, unprefixed', () => {
    const nsId = a.namespaces[1]?.id ?? '';
    const { hosts, value } = stripIds({ ns: `host:hostb/${nsId}`, dev: 'vx42' });
    expect([...hosts]).toEqual(['hostb']);
    expect(value).toEqual({ ns: nsId, dev: 'vx42' });
  });
});
