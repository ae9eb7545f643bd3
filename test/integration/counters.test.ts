import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CountersSample, Snapshot } from '../../protocol/src/index.js';
import { listNamespaces } from '../../helper/discover/namespaces.js';
import { TopologyCache, takeSnapshot } from '../../helper/discover/topology-cache.js';
import { systemExec, type Exec } from '../../helper/exec.js';
import { startCounters } from '../../helper/streams/counters.js';
import { netnsInode } from '../../helper/streams/ns-keepers.js';
import { assertInSandbox, lab, resetSandbox, sh } from '../sandbox.js';

// Counters of idle named namespaces read through a keeper inside each (a thread of one
// netloom-nsread, or an ip process each without it), the host's through /proc/self: totals rise
// by the bytes a ping sends, and no process is spawned per sample.

beforeAll(async () => {
  assertInSandbox();
  await resetSandbox();
  await lab(`
    ip netns add ka
    ip netns add kb
    ip link add ka0 type veth peer name kb0
    ip link set ka0 netns ka
    ip link set kb0 netns kb
    ip -n ka addr add 10.63.0.1/24 dev ka0
    ip -n kb addr add 10.63.0.2/24 dev kb0
    ip -n ka link set ka0 up
    ip -n kb link set kb0 up
    ip link add hx type veth peer name hy
    ip link set hx up
    ip link set hy up
  `);
});

// Stopped even when an assertion fails first: keepers must not outlive the test.
const stops: (() => void)[] = [];
afterEach(() => {
  for (const stop of stops.splice(0)) stop();
});

afterAll(async () => {
  await resetSandbox();
});

function counting(exec: Exec): { exec: Exec; runs: number; spawns: string[][] } {
  const c = { exec, runs: 0, spawns: [] as string[][] };
  c.exec = {
    run: (argv, o) => (c.runs++, exec.run(argv, o)),
    spawn: (argv, o) => (c.spawns.push([...argv]), exec.spawn(argv, o)),
  };
  return c;
}

describe('counters', () => {
  for (const native of [true, false]) {
  it(`rise by the bytes sent, on both ends; one keeper per idle namespace (${native ? 'threads of netloom-nsread' : 'ip processes'}), nothing spawned per sample`, async () => {
    // The topology cache is the source as it is (current() + target() + nativeReader).
    const cache = new TopologyCache(systemExec, { nativeReader: native });
    expect(cache.nativeReader).toBe(native);
    const snap: Snapshot = await cache.refreshAll();
    const idOf = (ns: string, name: string): string => {
      const n = snap.namespaces.find((x) => x.name === ns);
      const i = snap.interfaces.find((x) => x.ns === n?.id && x.name === name);
      if (!i) throw new Error(`no ${ns}/${name}`);
      return i.id;
    };
    const ka0 = idOf('ka', 'ka0');
    const kb0 = idOf('kb', 'kb0');
    const hostNs = snap.namespaces.find((n) => n.kind === 'host');
    const hx = snap.interfaces.find((i) => i.ns === hostNs?.id && i.name === 'hx')?.id;
    const c = counting(systemExec);
    const samples: CountersSample[] = [];
    const ac = new AbortController();
    const h = startCounters(c.exec, cache, { intervalMs: 200 }, ac.signal, {
      onSample: (s) => samples.push(s),
    });
    stops.push(h.stop);
    const waitSamples = async (n: number): Promise<void> => {
      const t0 = Date.now();
      while (samples.length < n) {
        if (Date.now() - t0 > 5000) throw new Error('no samples');
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    await waitSamples(3);
    const totals = (id: string): { rxBytes: number; txBytes: number } | undefined => samples[samples.length - 1]?.interfaces.find((i) => i.id === id)?.totals;
    const before = { a: totals(ka0), b: totals(kb0) };
    expect(before.a).toBeDefined();
    expect(before.b).toBeDefined();
    expect(hx && totals(hx)).toBeDefined();
    await sh(['ip', 'netns', 'exec', 'ka', 'ping', '-c', '5', '-i', '0.2', '-s', '1000', '-W', '1', '10.63.0.2']);
    await waitSamples(samples.length + 2); // two whole periods after the last reply
    const after = { a: totals(ka0), b: totals(kb0) };
    const sent = 5 * (1000 + 8 + 20 + 14);
    expect((after.a?.txBytes ?? 0) - (before.a?.txBytes ?? 0)).toBeGreaterThanOrEqual(sent);
    expect((after.b?.rxBytes ?? 0) - (before.b?.rxBytes ?? 0)).toBeGreaterThanOrEqual(sent);
    expect((after.a?.rxBytes ?? 0) - (before.a?.rxBytes ?? 0)).toBeGreaterThanOrEqual(sent); // the replies
    // ... and not wildly more (ARP, IPv6 chatter only)
    expect((after.a?.txBytes ?? 0) - (before.a?.txBytes ?? 0)).toBeLessThan(sent + 3000);
    // Rates: some sample during the ping shows a positive tx rate on ka0.
    expect(samples.some((s) => (s.interfaces.find((i) => i.id === ka0)?.rates?.txBytes ?? 0) > 1000)).toBe(true);
    // Exactly one long-lived keeper per idle namespace (ka, kb), and no per-sample processes.
    expect(c.runs).toBe(0);
    expect(c.spawns.map((a) => a.join(' ')).sort()).toEqual(native ? ['netloom-nsread --keep'] : ['ip -n ka monitor link', 'ip -n kb monitor link']);
    const kinodes = await Promise.all(h.keeperPids().map((p) => netnsInode(p)));
    expect(kinodes.sort()).toEqual(snap.namespaces.filter((n) => n.name === 'ka' || n.name === 'kb').map((n) => n.inode).sort());
    const pids = h.keeperPids();
    ac.abort();
    await new Promise((r) => setTimeout(r, 300));
    for (const p of pids) expect(await netnsInode(p)).toBeNull();
  });
  }

  it('coalesces for a slow consumer: only the newest sample waits', async () => {
    const snap = await takeSnapshot(systemExec);
    const found = await listNamespaces();
    const got: CountersSample[] = [];
    let ready = false;
    const h = startCounters(systemExec, { current: () => snap, target: (id) => found.find((f) => f.target.id === id)?.target }, { intervalMs: 100 }, undefined, {
      onSample: (s) => got.push(s),
      ready: () => ready,
    });
    stops.push(h.stop);
    await new Promise((r) => setTimeout(r, 650));
    expect(got).toHaveLength(0);
    ready = true;
    h.resume();
    expect(got).toHaveLength(1);
    expect(got[0]?.coalesced).toBeGreaterThanOrEqual(3);
    h.stop();
  });
});
