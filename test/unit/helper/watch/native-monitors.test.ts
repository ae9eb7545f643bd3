import { describe, expect, it } from 'vitest';
import type { NsTarget } from '../../../../helper/discover/ns-target.js';
import { NativeNsMonitors } from '../../../../helper/watch/native-monitors.js';
import { RecordingExec, type FakeChild } from '../server/fakes.js';

const targets: Record<string, NsTarget> = {
  'ns:1': { id: 'ns:1', path: '/proc/self/ns/net', name: null, own: true },
  'ns:2': { id: 'ns:2', path: '/run/netns/a', name: 'a', own: false },
  'ns:3': { id: 'ns:3', path: '/run/docker/netns/with space', name: null, own: false },
  'bad id': { id: 'bad id', path: '/run/netns/x', name: 'x', own: false },
  'ns:5': { id: 'ns:5', path: '/run/netns/new\nline', name: null, own: false },
};

function setup() {
  const exec = new RecordingExec();
  const changes: string[] = [];
  const exits: string[] = [];
  const m = new NativeNsMonitors(exec, { onChange: (id) => changes.push(id), onExit: (id) => exits.push(id) });
  const child = (): FakeChild => exec.spawned[0]!.child;
  const written = (): string => (child().stdin.read() as Buffer | null)?.toString() ?? '';
  return { exec, m, changes, exits, child, written };
}

const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

describe('NativeNsMonitors', () => {
  it('one netloom-nsread --monitor for every namespace, told what to watch on stdin', () => {
    const s = setup();
    const started = s.m.reconcile(['ns:1', 'ns:2', 'ns:3'], (id) => targets[id]);
    expect(started).toEqual(['ns:1', 'ns:2', 'ns:3']);
    expect(s.exec.spawned.map((x) => x.argv)).toEqual([['netloom-nsread', '--monitor']]);
    expect(s.written()).toBe('+ns:1 /proc/self/ns/net\n+ns:2 /run/netns/a\n+ns:3 /run/docker/netns/with space\n');
    expect(s.m.size).toBe(3);
    // Nothing new: nothing written, no second process.
    expect(s.m.reconcile(['ns:1', 'ns:2', 'ns:3'], (id) => targets[id])).toEqual([]);
    expect(s.exec.spawned).toHaveLength(1);
  });

  it('a gone namespace is let go ("-ID"), so the kernel can free it', () => {
    const s = setup();
    s.m.reconcile(['ns:1', 'ns:2'], (id) => targets[id]);
    s.written();
    s.m.reconcile(['ns:1'], (id) => targets[id]);
    expect(s.written()).toBe('-ns:2\n');
    expect(s.m.size).toBe(1);
  });

  it('never writes an id or a path that could break the line protocol', () => {
    const s = setup();
    expect(s.m.reconcile(['bad id', 'ns:5', 'ns:2'], (id) => targets[id])).toEqual(['ns:2']);
    expect(s.written()).toBe('+ns:2 /run/netns/a\n');
  });

  it('"ID" lines are changes (split across chunks too); "!ID" is a namespace it could not watch', async () => {
    const s = setup();
    s.m.reconcile(['ns:1', 'ns:2'], (id) => targets[id]);
    s.child().stdout.write('ns:2\nns:');
    s.child().stdout.write('1\nns:9\n!ns:2 2 open\n');
    await tick();
    expect(s.changes).toEqual(['ns:2', 'ns:1']); // ns:9 is not watched
    expect(s.exits).toEqual(['ns:2']);
    expect(s.m.size).toBe(1);
  });

  it('when the reader dies every namespace is reported lost; stopAll ends it quietly', () => {
    const s = setup();
    s.m.reconcile(['ns:1', 'ns:2'], (id) => targets[id]);
    s.child().die();
    expect(s.exits.sort()).toEqual(['ns:1', 'ns:2']);
    expect(s.m.size).toBe(0);

    const t = setup();
    t.m.reconcile(['ns:1'], (id) => targets[id]);
    t.m.stopAll();
    expect(t.child().alive).toBe(false);
    expect(t.exits).toEqual([]);
  });
});
