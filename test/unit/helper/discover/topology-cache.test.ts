import { describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { Snapshot } from '../../../../protocol/src/index.js';
import type { Exec, Program, RunOptions, RunResult } from '../../../../helper/exec.js';
import { TopologyCache } from '../../../../helper/discover/topology-cache.js';
import type { FoundNamespace } from '../../../../helper/discover/namespaces.js';
import { loadCase } from './ip-fixtures.js';

/** A recording Exec answering from the bridge-lab fixtures by the namespace each argv enters. */
function fakeExec(raw: Record<string, string>) {
  const calls: string[][] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const exec: Exec = {
    async run(argv: readonly [Program, ...string[]], _opts?: RunOptions): Promise<RunResult> {
      calls.push([...argv]);
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((r) => setTimeout(r, 2));
      inFlight--;
      const entered = argv[0] === 'ip' && argv[1] === '-n' ? argv[2] : /^--net=\/run\/netns\/(.+)$/.exec(argv[1] ?? '')?.[1];
      const ns = entered ?? 'host';
      const out = (stdout: string): RunResult => ({ argv, stdout, stderr: '', exitCode: 0 });
      if (argv.includes('--version')) return out('iptables v1.8.9 (nf_tables)\n');
      if (argv.includes('iptables-nft-save')) return out(ns === 'host' ? '*nat\n:POSTROUTING ACCEPT [0:0]\n[0:0] -A POSTROUTING -s 170.19.0.0/24 -o eth0 -j MASQUERADE\nCOMMIT\n' : '');
      if (!argv.includes('-batch')) return out('');
      return out(raw[ns ?? 'host'] ?? '');
    },
    spawn(): ChildProcess {
      throw new Error('not used');
    },
  };
  return { exec, calls, maxInFlight: () => maxInFlight };
}

describe('TopologyCache', () => {
  const c = loadCase('bridge-lab');

  it('refreshAll reads every namespace with one ip batch each (ip -n for named ones) and assembles', async () => {
    const f = fakeExec(c.raw);
    const cache = new TopologyCache(f.exec, { listNamespaces: async () => c.found, concurrency: 2 });
    expect(cache.current()).toBeNull();
    const snap = await cache.refreshAll();
    expect(Snapshot.safeParse(snap).success).toBe(true);
    expect(cache.current()).toBe(snap);
    const ipCalls = f.calls.filter((a) => a.includes('-batch'));
    expect(ipCalls).toHaveLength(3);
    expect(ipCalls).toContainEqual(['ip', '-n', 'ns1', '-json', '-details', '-statistics', '-force', '-batch', '-']);
    expect(f.calls).toContainEqual(['nsenter', '--net=/run/netns/ns2', '--', 'iptables-nft-save', '-c']);
    expect(f.calls).toContainEqual(['nsenter', '--net=/run/netns/ns2', '--', 'nft', '-j', 'list', 'ruleset']);
    expect(f.maxInFlight()).toBeLessThanOrEqual(2 * 9); // 2 namespaces at once, 9 programs each (ip path: no hints)
    expect(snap.rules).toHaveLength(1);
    expect(cache.target(c.ns.ns1!)).toMatchObject({ name: 'ns1', own: false });
  });

  it('refreshNamespaces re-reads only the namespaces asked for; rescan reads new ones and drops gone ones', async () => {
    const f = fakeExec(c.raw);
    let found: FoundNamespace[] = c.found.slice(0, 2);
    const cache = new TopologyCache(f.exec, { listNamespaces: async () => found });
    await cache.refreshAll();
    f.calls.length = 0;
    await cache.refreshNamespaces([c.ns.ns1!, 'ns:unknown']);
    expect(f.calls.filter((a) => a.includes('-batch'))).toEqual([['ip', '-n', 'ns1', '-json', '-details', '-statistics', '-force', '-batch', '-']]);

    f.calls.length = 0;
    const same = cache.current();
    expect(await cache.rescanNamespaces()).toBe(same); // nothing changed: no reads, same snapshot
    expect(f.calls.filter((a) => a[0] === 'ip')).toEqual([]);

    found = [c.found[0]!, c.found[2]!];
    const snap = await cache.rescanNamespaces();
    expect(f.calls.filter((a) => a.includes('-batch'))).toEqual([['ip', '-n', 'ns2', '-json', '-details', '-statistics', '-force', '-batch', '-']]);
    expect(snap.namespaces.map((n) => n.name)).toEqual([null, 'ns2']);
    expect(snap.interfaces.some((i) => i.ns === c.ns.ns1)).toBe(false);
    expect(cache.target(c.ns.ns1!)).toBeUndefined();
  });

  it('a re-read after a link change keeps the firewall it had (the rules poller follows rules); setFirewall takes new rules without a read', async () => {
    const f = fakeExec(c.raw);
    const cache = new TopologyCache(f.exec, { listNamespaces: async () => c.found });
    await cache.refreshAll();
    f.calls.length = 0;
    const snap = await cache.refreshNamespaces([c.ns.host!]);
    expect(f.calls.some((a) => a.some((x) => /tables-|^nft$/.test(x)))).toBe(false);
    expect(snap.rules).toHaveLength(1);
    f.calls.length = 0;
    const text = '*filter\n:FORWARD DROP [0:0]\n[0:0] -A FORWARD -j ACCEPT\nCOMMIT\n';
    const next = await cache.setFirewall(c.ns.host!, { saves: [{ backend: 'nft-compat', family: 'ip', text }], nftJson: null, unread: [] });
    expect(f.calls).toEqual([]);
    expect(next.rules.map((r) => r.spec)).toEqual(['-j ACCEPT']);
  });

  it('a namespace that cannot be read is marked, the rest still shows', async () => {
    const f = fakeExec({ host: c.raw.host!, ns1: c.raw.ns1! }); // ns2 prints nothing
    const snap = await new TopologyCache(f.exec, { listNamespaces: async () => c.found }).refreshAll();
    expect(snap.namespaces.find((n) => n.name === 'ns2')?.error).toMatch(/could not read/);
    expect(snap.namespaces.find((n) => n.name === 'ns1')?.error).toBeNull();
    expect(snap.interfaces.filter((i) => i.ns === c.ns.ns1)).toHaveLength(2);
  });
});
