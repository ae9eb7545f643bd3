import { describe, expect, it } from 'vitest';
import type { NsTarget } from '../../../../helper/discover/ns-target.js';
import { NativeKeepers } from '../../../../helper/streams/native-keepers.js';
import { RecordingExec } from '../server/fakes.js';

const a: NsTarget = { id: 'ns:2', path: '/run/netns/a', name: 'a', own: false };
const b: NsTarget = { id: 'ns:3', path: '/run/netns/b', name: 'b', own: false };

function setup() {
  const exec = new RecordingExec();
  const k = new NativeKeepers(exec);
  const child = () => exec.spawned[0]!.child;
  const written = (): string => (child().stdin.read() as Buffer | null)?.toString() ?? '';
  return { exec, k, child, written };
}

describe('NativeKeepers', () => {
  it('asks one netloom-nsread --keep for a thread per namespace and answers with its tid', async () => {
    const s = setup();
    const pa = s.k.pidIn(a, 2);
    const pb = s.k.pidIn(b, 3);
    expect(s.exec.spawned.map((x) => x.argv)).toEqual([['netloom-nsread', '--keep']]);
    expect(s.written()).toBe('+ns:2 /run/netns/a\n+ns:3 /run/netns/b\n');
    s.child().stdout.write('ns:3 41\nns:2 40\n');
    expect(await pa).toBe(40);
    expect(await pb).toBe(41);
    expect(await s.k.pidIn(a, 2)).toBe(40); // known: nothing written again
    expect(s.written()).toBe('');
    expect(s.k.pids().sort()).toEqual([40, 41]);
  });

  it('a namespace it cannot enter gives null, and is not asked again at once', async () => {
    const s = setup();
    const p = s.k.pidIn(a, 2);
    s.child().stdout.write('!ns:2 2 open\n');
    expect(await p).toBeNull();
    s.written();
    expect(await s.k.pidIn(a, 2)).toBeNull();
    expect(s.written()).toBe('');
  });

  it('prune lets go of gone namespaces; stopAll ends the reader', async () => {
    const s = setup();
    const p = s.k.pidIn(a, 2);
    s.child().stdout.write('ns:2 40\n');
    await p;
    s.written();
    s.k.prune(new Set());
    expect(s.written()).toBe('-ns:2\n');
    expect(s.k.count).toBe(0);
    s.k.stopAll();
    expect(s.child().alive).toBe(false);
  });

  it('when the reader dies, waiting callers get null and the next sample starts a new one', async () => {
    const s = setup();
    const p = s.k.pidIn(a, 2);
    s.child().die();
    expect(await p).toBeNull();
    void s.k.pidIn(a, 2);
    expect(s.exec.spawned).toHaveLength(2);
  });
});
