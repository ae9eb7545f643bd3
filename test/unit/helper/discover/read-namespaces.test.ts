import { describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Exec, Program, RunOptions, RunResult } from '../../../../helper/exec.js';
import type { NsTarget } from '../../../../helper/discover/ns-target.js';
import { ALL_NAMED_THRESHOLD, readNamespaces } from '../../../../helper/discover/read-namespaces.js';
import { splitRecords } from '../../../../helper/discover/netlink/records.js';
import { loadCase } from './ip-fixtures.js';
import { ProtocolError } from '../../../../protocol/src/errors.js';

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
        const program = argv[4]!;
        if (program !== 'ip' || argv[5] !== '-json') {
          if (opts.iptablesMissing && program !== 'ip') return res(shown.map((n) => `\nnetns: ${n}\n`).join(''), `exec of "${program}" failed: No such file or directory\n`.repeat(shown.length));
          return res(shown.map((n) => `\nnetns: ${n}\n${n === 'n0' && program === 'iptables-nft-save' ? NAT : ''}`).join(''));
        }
        const file = argv[argv.length - 1]!;
        batchFiles.push(readFileSync(file, 'utf8'));
        return res(shown.map((n) => `\nnetns: ${n}\n${lab.raw.ns1}`).join(''));
      }
      if (!argv.includes('-batch')) return res('');
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

  it('reads many named namespaces with one `ip -all netns exec` pass per program, not a spawn each', async () => {
    const f = fake(many);
    const states = await readNamespaces(f.exec, targets(many), 4);
    expect(f.calls.every((c) => c[1] === '-all')).toBe(true);
    expect(f.calls.map((c) => c.slice(4).join(' ').replace(/\/\S+\/batch$/, 'FILE')).sort()).toEqual([
      'ip -4 -json rule show',
      'ip -6 -json rule show',
      'ip -json -details -statistics -force -batch FILE',
      'ip6tables-legacy-save -c',
      'ip6tables-nft-save -c',
      'iptables-legacy-save -c',
      'iptables-nft-save -c',
      'nft -j list ruleset',
      'sysctl -a -r ^net\\.ipv4\\.conf\\..*\\.(rp_filter|route_localnet)$',
    ]);
    expect(f.batchFiles[0]).toBe('addr show\nroute show table all\nnetconf show\n');
    expect(states).toHaveLength(many.length);
    const n0 = states.find((s) => s.id === 'ns:10')!;
    expect(n0.links.map((l) => l.name)).toEqual(['lo', 'eth0']);
    expect(n0.firewall?.saves).toEqual([{ backend: 'nft-compat', family: 'ip', text: NAT }]);
    expect(states.find((s) => s.id === 'ns:11')?.firewall).toEqual({ saves: [], nftJson: null, unread: [] });
  });

  it('a namespace the bulk pass missed is read on its own; few namespaces are read one by one', async () => {
    const f = fake(many, { skip: 'n3' });
    const states = await readNamespaces(f.exec, targets(many), 4);
    expect(f.calls).toContainEqual(['ip', '-n', 'n3', '-json', '-details', '-statistics', '-force', '-batch', '-']);
    expect(states.find((s) => s.id === 'ns:13')?.links.map((l) => l.name)).toEqual(['lo', 'eth0']);

    const g = fake(['a', 'b']);
    await readNamespaces(g.exec, targets(['a', 'b']), 4);
    expect(g.calls.some((c) => c[1] === '-all')).toBe(false);
    // per namespace: the ip batch, 2 rule lists, the sysctls, nft and 4 iptables-save variants
    expect(g.calls).toHaveLength(2 * 9);
  });

  it('without hints, a firewall program that is not installed is no error: nothing says its tables exist', async () => {
    const f = fake(many, { iptablesMissing: true });
    const states = await readNamespaces(f.exec, targets(many), 4);
    expect(states[0]?.firewall).toEqual({ saves: [], nftJson: null, unread: [] });
  });
});

describe('readNamespaces with netloom-nsread', () => {
  // Recorded by test/fixtures/netlink/record.sh: the sandbox's own namespace and /run/netns/a (which has an iptables rule).
  const recorded = readFileSync(join(__dirname, '../../../fixtures/netlink/lab.nsread'));
  const dumps = splitRecords(recorded);
  const own = dumps.find((d) => d.path === '/proc/self/ns/net')!;
  const a = dumps.find((d) => d.path === '/run/netns/a')!;

  it('one reader run for all; a firewall source is read only where it has tables; a namespace it missed is read with ip', async () => {
    const calls: string[][] = [];
    const exec: Exec = {
      async run(argv: readonly [Program, ...string[]], o?: RunOptions): Promise<RunResult> {
        calls.push([...argv]);
        if (argv[0] === 'netloom-nsread') return { argv, stdout: '', stdoutBytes: o?.binary ? recorded : undefined, stderr: '', exitCode: 0 };
        if (argv.includes('iptables-nft-save')) return { argv, stdout: NAT, stderr: '', exitCode: 0 };
        if (argv.includes('iptables-legacy-save')) throw new ProtocolError('unavailable', 'iptables-legacy-save could not be started: ENOENT');
        return { argv, stdout: argv.includes('-batch') ? lab.raw.ns2! : '', stderr: '', exitCode: 0 };
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
    expect(byId.get(`ns:${own.inode}`)?.firewall).toEqual({ saves: [], nftJson: null, unread: [] }); // no tables: nothing run
    expect(byId.get(`ns:${a.inode}`)?.firewall?.saves).toEqual([{ backend: 'nft-compat', family: 'ip', text: NAT }]);
    expect(byId.get(`ns:${a.inode}`)?.links.map((l) => l.name)).toEqual(['lo', 'eth0']);
    expect(byId.get('ns:99')?.links.length).toBeGreaterThan(0); // read with ip
    const inA = calls.filter((c) => c.includes('--net=/run/netns/a')).map((c) => c.slice(3).join(' '));
    expect(inA).toEqual(['iptables-nft-save -c']); // a has iptables-nft's filter table only
    // No hints for the late one: every source is tried, and a missing program there is no error.
    expect(byId.get('ns:99')?.firewall?.unread).toEqual([]);
  });

  it('when the reader cannot run, every namespace is read with ip', async () => {
    const calls: string[][] = [];
    const exec: Exec = {
      async run(argv: readonly [Program, ...string[]]): Promise<RunResult> {
        calls.push([...argv]);
        if (argv[0] === 'netloom-nsread') throw new Error('not built');
        return { argv, stdout: argv.includes('-batch') ? lab.raw.ns2! : '', stderr: '', exitCode: 0 };
      },
      spawn(): ChildProcess {
        throw new Error('unused');
      },
    };
    const states = await readNamespaces(exec, targets(['x', 'y']), 4, undefined, undefined, true);
    expect(states.every((s) => s.links.length > 0)).toBe(true);
    expect(calls.filter((c) => c.includes('-batch')).length).toBe(2);
  });
});
