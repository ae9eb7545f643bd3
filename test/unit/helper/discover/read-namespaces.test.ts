import { describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Exec, Program, RunOptions, RunResult } from '../../../../helper/exec.js';
import type { NsTarget } from '../../../../helper/discover/ns-target.js';
import { ALL_NAMED_THRESHOLD, readNamespaces } from '../../../../helper/discover/read-namespaces.js';
import { splitRecords } from '../../../../helper/discover/netlink/records.js';
import { loadCase } from './ip-fixtures.js';

const lab = loadCase('bridge-lab');
const NAT = '*nat\n:PREROUTING ACCEPT [0:0]\n[0:0] -A PREROUTING -p tcp -m tcp --dport 90 -j DNAT --to-destination 170.19.0.2:80\nCOMMIT\n';

function fake(names: string[], opts: { iptablesMissing?: boolean; skip?: string } = {}) {
  const calls: string[][] = [];
  const batchFiles: string[] = [];
  const exec: Exec = {
    async run(argv: readonly [Program, ...string[]], _o?: RunOptions): Promise<RunResult> {
      calls.push([...argv]);
      const res = (stdout: string, stderr = ''): RunResult => ({ argv, stdout, stderr, exitCode: 0 });
      if (argv[1] === '-all') {
        const shown = names.filter((n) => n !== opts.skip);
        if (argv[4] === 'iptables-save') {
          if (opts.iptablesMissing) return res(shown.map((n) => `\nnetns: ${n}\n`).join(''), 'exec of "iptables-save" failed: No such file or directory\n'.repeat(shown.length));
          return res(shown.map((n) => `\nnetns: ${n}\n${n === 'n0' ? NAT : ''}`).join(''));
        }
        const file = argv[argv.length - 1]!;
        batchFiles.push(readFileSync(file, 'utf8'));
        return res(shown.map((n) => `\nnetns: ${n}\n${lab.raw.ns1}`).join(''));
      }
      if (argv.includes('iptables-save')) return res('');
      return res(lab.raw.ns2!);
    },
    spawn(): ChildProcess {
      throw new Error('unused');
    },
  };
  return { exec, calls, batchFiles };
}

const targets = (names: string[]): NsTarget[] => names.map((n, i) => ({ id: `ns:${i + 10}`, name: n, path: `/run/netns/${n}`, own: false }));

describe('readNamespaces', () => {
  const many = Array.from({ length: ALL_NAMED_THRESHOLD }, (_, i) => `n${i}`);

  it('reads many named namespaces with two `ip -all netns exec` passes, not a spawn each', async () => {
    const f = fake(many);
    const states = await readNamespaces(f.exec, targets(many), 4);
    expect(f.calls).toHaveLength(2);
    expect(f.calls.map((c) => c.slice(0, 5))).toEqual(
      expect.arrayContaining([
        ['ip', '-all', 'netns', 'exec', 'ip'],
        ['ip', '-all', 'netns', 'exec', 'iptables-save'],
      ]),
    );
    expect(f.batchFiles[0]).toBe('addr show\nroute show table all\nnetconf show\n');
    expect(states).toHaveLength(many.length);
    const n0 = states.find((s) => s.id === 'ns:10')!;
    expect(n0.links.map((l) => l.name)).toEqual(['lo', 'eth0']);
    expect(n0.iptablesSave).toContain('--dport 90');
    expect(states.find((s) => s.id === 'ns:11')?.iptablesSave).toBe('');
  });

  it('a namespace the bulk pass missed is read on its own; few namespaces are read one by one', async () => {
    const f = fake(many, { skip: 'n3' });
    const states = await readNamespaces(f.exec, targets(many), 4);
    expect(f.calls).toContainEqual(['ip', '-n', 'n3', '-json', '-details', '-statistics', '-force', '-batch', '-']);
    expect(states.find((s) => s.id === 'ns:13')?.links.map((l) => l.name)).toEqual(['lo', 'eth0']);

    const g = fake(['a', 'b']);
    await readNamespaces(g.exec, targets(['a', 'b']), 4);
    expect(g.calls.some((c) => c[1] === '-all')).toBe(false);
    expect(g.calls).toHaveLength(4);
  });

  it('iptables-save missing: states say why instead of showing "no rules"', async () => {
    const f = fake(many, { iptablesMissing: true });
    const states = await readNamespaces(f.exec, targets(many), 4);
    expect(states[0]?.iptablesSave).toBeNull();
    expect(states[0]?.iptablesError).toMatch(/iptables-save could not be run/);
  });
});

describe('readNamespaces with netloom-nsread', () => {
  // Recorded by test/fixtures/netlink/record.sh: the sandbox's own namespace and /run/netns/a (which has an iptables rule).
  const recorded = readFileSync(join(__dirname, '../../../fixtures/netlink/lab.nsread'));
  const dumps = splitRecords(recorded);
  const own = dumps.find((d) => d.path === '/proc/self/ns/net')!;
  const a = dumps.find((d) => d.path === '/run/netns/a')!;

  it('one reader run for all; iptables-save only where there are tables; a namespace it missed is read with ip', async () => {
    const calls: string[][] = [];
    const exec: Exec = {
      async run(argv: readonly [Program, ...string[]], o?: RunOptions): Promise<RunResult> {
        calls.push([...argv]);
        if (argv[0] === 'netloom-nsread') return { argv, stdout: '', stdoutBytes: o?.binary ? recorded : undefined, stderr: '', exitCode: 0 };
        if (argv.includes('iptables-save')) return { argv, stdout: NAT, stderr: '', exitCode: 0 };
        return { argv, stdout: lab.raw.ns2!, stderr: '', exitCode: 0 };
      },
      spawn(): ChildProcess {
        throw new Error('unused');
      },
    };
    const ts: NsTarget[] = [
      { id: `ns:${own.inode}`, path: '/proc/self/ns/net', name: null, own: true },
      { id: `ns:${a.inode}`, path: '/run/netns/a', name: 'a', own: false },
      { id: 'ns:99', path: '/run/netns/late', name: 'late', own: false }, // created after the reader ran
    ];
    const states = await readNamespaces(exec, ts, 4, undefined, undefined, true);
    expect(calls[0]).toEqual(['netloom-nsread', '/proc/self/ns/net', '/run/netns/a', '/run/netns/late']);
    const byId = new Map(states.map((s) => [s.id, s]));
    expect(byId.get(`ns:${own.inode}`)?.iptablesSave).toBe(''); // no tables: not run
    expect(byId.get(`ns:${a.inode}`)?.iptablesSave).toBe(NAT);
    expect(byId.get(`ns:${a.inode}`)?.links.map((l) => l.name)).toEqual(['lo', 'eth0']);
    expect(byId.get('ns:99')?.links.length).toBeGreaterThan(0); // read with ip
    const ipt = calls.filter((c) => c.includes('iptables-save')).map((c) => c.join(' '));
    expect(ipt.sort()).toEqual(['nsenter --net=/run/netns/a -- iptables-save -c', 'nsenter --net=/run/netns/late -- iptables-save -c']);
  });

  it('when the reader cannot run, every namespace is read with ip', async () => {
    const calls: string[][] = [];
    const exec: Exec = {
      async run(argv: readonly [Program, ...string[]]): Promise<RunResult> {
        calls.push([...argv]);
        if (argv[0] === 'netloom-nsread') throw new Error('not built');
        return { argv, stdout: argv.includes('iptables-save') ? '' : lab.raw.ns2!, stderr: '', exitCode: 0 };
      },
      spawn(): ChildProcess {
        throw new Error('unused');
      },
    };
    const states = await readNamespaces(exec, targets(['x', 'y']), 4, undefined, undefined, true);
    expect(states.every((s) => s.links.length > 0)).toBe(true);
    expect(calls.filter((c) => c[0] === 'ip').length).toBe(2);
  });
});
