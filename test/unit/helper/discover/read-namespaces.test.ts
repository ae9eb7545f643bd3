import { describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Exec, Program, RunOptions, RunResult } from '../../../../helper/exec.js';
import type { NsTarget } from '../../../../helper/discover/ns-target.js';
import { ALL_NAMED_THRESHOLD, readNamespaces } from '../../../../helper/discover/read-namespaces.js';
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
