import { describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import type { Exec, Program, RunResult } from '../../../../helper/exec.js';
import { fillNsidTables, namespacesNeedingNsids } from '../../../../helper/discover/nsid-tables.js';
import type { NsTarget } from '../../../../helper/discover/ns-target.js';
import type { NamespaceState } from '../../../../helper/discover/read-namespace.js';
import { resolveVethPeers } from '../../../../helper/discover/veth-peers.js';
import { loadCase } from './ip-fixtures.js';

describe('nsid tables on demand', () => {
  // Two named pairs whose ends all look alike (ifindex 2 ↔ 2): only `netns list-id` tells them apart.
  const c = loadCase('repeated-ifindex');
  const pc = c.states.find((s) => s.id === c.ns.pc)!;
  const pd = c.states.find((s) => s.id === c.ns.pd)!;
  const clone = (s: NamespaceState, id: string): NamespaceState => ({ ...s, id, nsids: null });
  const states = [clone(pc, 'ns:1'), clone(pd, 'ns:2'), clone(pc, 'ns:3'), clone(pd, 'ns:4')];
  const nameToNs = new Map([['one', 'ns:1'], ['two', 'ns:2'], ['three', 'ns:3'], ['four', 'ns:4']]);
  const tables: Record<string, string> = { one: 'two', two: 'one', three: 'four', four: 'three' };

  it('asks only namespaces with an unsettled veth, and only when some namespace has a name', () => {
    expect(namespacesNeedingNsids(states, nameToNs).sort()).toEqual(['ns:1', 'ns:2', 'ns:3', 'ns:4']);
    expect(namespacesNeedingNsids(states, new Map())).toEqual([]);
    const settled = [clone(pc, 'ns:1'), clone(pd, 'ns:2')];
    expect(namespacesNeedingNsids(settled, nameToNs)).toEqual([]);
  });

  it('reads them with `ip -n NAME -json netns list-id` and then every pair resolves', async () => {
    const calls: string[][] = [];
    const exec: Exec = {
      async run(argv: readonly [Program, ...string[]]): Promise<RunResult> {
        calls.push([...argv]);
        const name = argv[2] ?? '';
        return { argv, stdout: JSON.stringify([{ nsid: 0, name: tables[name] }]), stderr: '', exitCode: 0 };
      },
      spawn(): ChildProcess {
        throw new Error('unused');
      },
    };
    const targets = new Map<string, NsTarget>([...nameToNs].map(([name, id]) => [id, { id, name, path: `/run/netns/${name}`, own: false }]));
    const filled = await fillNsidTables(exec, states, (id) => targets.get(id), nameToNs, 2);
    expect(calls).toContainEqual(['ip', '-n', 'one', '-json', 'netns', 'list-id']);
    expect(calls).toHaveLength(4);
    const { peers } = resolveVethPeers(filled.map((s) => ({ id: s.id, links: s.links, nsids: s.nsids ?? new Map() })), nameToNs);
    expect(peers.get('ns:1/2')).toBe('ns:2/2');
    expect(peers.get('ns:3/2')).toBe('ns:4/2');
  });
});
