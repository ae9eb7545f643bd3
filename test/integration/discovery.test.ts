import { spawn, type ChildProcess } from 'node:child_process';
import { readlinkSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Snapshot, type Interface } from '../../protocol/src/index.js';
import { systemExec } from '../../helper/exec.js';
import { TopologyCache, takeSnapshot } from '../../helper/discover/topology-cache.js';
import { lab, resetSandbox, sh } from '../sandbox.js';

// Discovery against the real kernel: repeated ifindexes, unnamed namespaces, shared namespaces.
const started: ChildProcess[] = [];

/** Starts a long-lived process (unshare/nsenter … sleep) and waits until it sits in a namespace of its own. */
async function startInNewNetns(argv: string[]): Promise<number> {
  const child = spawn(argv[0]!, argv.slice(1), { stdio: 'ignore' });
  started.push(child);
  const own = readlinkSync('/proc/self/ns/net');
  for (let i = 0; i < 100; i++) {
    try {
      if (readlinkSync(`/proc/${child.pid}/ns/net`) !== own && child.pid !== undefined) return child.pid;
    } catch {
      // not there yet
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`${argv.join(' ')} did not enter a new namespace`);
}

const ownInode = (): string => `ns:${/\d+/.exec(readlinkSync('/proc/self/ns/net'))![0]}`;

describe('discovery on the real kernel', () => {
  let p = 0;
  let q = 0;
  let snap: Snapshot;
  const ifc = (nsId: string, name: string): Interface => {
    const i = snap.interfaces.find((x) => x.ns === nsId && x.name === name);
    if (!i) throw new Error(`no ${name} in ${nsId}`);
    return i;
  };
  const named = (n: string): string => snap.namespaces.find((x) => x.name === n)!.id;

  beforeAll(async () => {
    await resetSandbox();
    await lab(`
      ip netns add pa
      ip netns add pb
      ip link add h-pa type veth peer name eth0 netns pa
      ip link add h-pb type veth peer name eth0 netns pb
      ip netns add pc
      ip netns add pd
      ip link add vc netns pc type veth peer name vd netns pd
    `);
    p = await startInNewNetns(['unshare', '--net', 'sleep', '30']);
    await sh(['ip', 'link', 'add', 'h-u1', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', String(p)]);
    await sh(['ip', 'link', 'add', 'pa-u1', 'netns', 'pa', 'type', 'veth', 'peer', 'name', 'u1-pa', 'netns', String(p)]);
    // A second process joining p's namespace: the namespace is still listed once.
    const nsenter = spawn('nsenter', [`--net=/proc/${p}/ns/net`, 'sleep', '30'], { stdio: 'ignore' });
    started.push(nsenter);
    q = nsenter.pid!;
    for (let i = 0; i < 100 && readlinkSync(`/proc/${q}/ns/net`) !== readlinkSync(`/proc/${p}/ns/net`); i++) await new Promise((r) => setTimeout(r, 10));
    snap = await takeSnapshot(systemExec);
  });

  afterAll(async () => {
    for (const c of started) if (c.pid !== undefined && c.exitCode === null) process.kill(c.pid, 'SIGKILL');
    await resetSandbox();
  });

  it('is a valid snapshot of a privileged helper, its own namespace the host', () => {
    expect(Snapshot.safeParse(snap).success).toBe(true);
    expect(snap.host.privileged).toBe(true);
    expect(snap.notices ?? []).not.toContainEqual(expect.objectContaining({ message: expect.stringContaining('privileged helper') }));
    const host = snap.namespaces.find((n) => n.kind === 'host')!;
    expect(host.id).toBe(ownInode());
    expect(snap.namespaces.filter((n) => n.kind === 'host')).toHaveLength(1);
  });

  it('named namespaces with repeated ifindexes each pair with the right host end', () => {
    expect(ifc(named('pa'), 'eth0').ifindex).toBe(2);
    expect(ifc(named('pb'), 'eth0').ifindex).toBe(2);
    expect(ifc(ownInode(), 'h-pa').peer).toBe(ifc(named('pa'), 'eth0').id);
    expect(ifc(ownInode(), 'h-pb').peer).toBe(ifc(named('pb'), 'eth0').id);
    expect(ifc(named('pb'), 'eth0').peer).toBe(ifc(ownInode(), 'h-pb').id);
    expect(ifc(named('pc'), 'vc')).toMatchObject({ ifindex: 2, peer: ifc(named('pd'), 'vd').id });
    expect(ifc(named('pd'), 'vd')).toMatchObject({ ifindex: 2, peer: ifc(named('pc'), 'vc').id });
  });

  it('an unnamed process namespace shared by two processes is listed once, with both pids, and its veths resolve', () => {
    const inode = /\d+/.exec(readlinkSync(`/proc/${p}/ns/net`))![0];
    const matches = snap.namespaces.filter((n) => n.id === `ns:${inode}`);
    expect(matches).toHaveLength(1);
    const u = matches[0]!;
    expect(u).toMatchObject({ kind: 'process', name: null, inode: Number(inode) });
    expect(u.pids).toEqual(expect.arrayContaining([p, q]));
    expect(u.processes).toContainEqual({ pid: p, command: 'sleep' });
    expect(ifc(u.id, 'eth0').ifindex).toBe(2);
    expect(ifc(u.id, 'eth0').peer).toBe(ifc(ownInode(), 'h-u1').id);
    expect(ifc(ownInode(), 'h-u1').peer).toBe(ifc(u.id, 'eth0').id);
    expect(ifc(named('pa'), 'pa-u1').peer).toBe(ifc(u.id, 'u1-pa').id);
    expect(ifc(u.id, 'u1-pa').peer).toBe(ifc(named('pa'), 'pa-u1').id);
  });

  it('TopologyCache: a rescan sees a new namespace, a targeted refresh sees a new link', async () => {
    const cache = new TopologyCache(systemExec);
    const first = await cache.refreshAll();
    expect(first.namespaces.some((n) => n.name === 'pe')).toBe(false);
    await sh(['ip', 'netns', 'add', 'pe']);
    const second = await cache.rescanNamespaces();
    const pe = second.namespaces.find((n) => n.name === 'pe')!;
    expect(pe).toBeDefined();
    expect(cache.target(pe.id)).toMatchObject({ name: 'pe', path: '/run/netns/pe' });
    await sh(['ip', 'link', 'add', 'h-pe', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', 'pe']);
    const third = await cache.refreshNamespaces([ownInode(), pe.id]);
    const hpe = third.interfaces.find((i) => i.name === 'h-pe')!;
    expect(hpe.peer).toBe(`${pe.id}/2`);
    await sh(['ip', 'netns', 'delete', 'pe']);
    const fourth = await cache.rescanNamespaces();
    expect(fourth.namespaces.some((n) => n.id === pe.id)).toBe(false);
  });

  it('many named namespaces (the bulk `ip -all netns exec` path): every one read, rules and peers right', async () => {
    const names = Array.from({ length: 9 }, (_, i) => `bulk${i}`);
    for (const n of names) {
      await sh(['ip', 'netns', 'add', n]);
      await sh(['ip', 'link', 'add', `h-${n}`, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', n]);
    }
    await sh(['ip', 'netns', 'exec', 'bulk4', 'iptables', '-A', 'INPUT', '-s', '10.9.9.9/32', '-j', 'DROP']);
    const s = await takeSnapshot(systemExec);
    expect(Snapshot.safeParse(s).success).toBe(true);
    for (const n of names) {
      const ns = s.namespaces.find((x) => x.name === n)!;
      expect(ns.error, n).toBeNull();
      const inner = s.interfaces.find((i) => i.ns === ns.id && i.name === 'eth0')!;
      const outer = s.interfaces.find((i) => i.ns === ownInode() && i.name === `h-${n}`)!;
      expect(inner.peer, n).toBe(outer.id);
      expect(outer.peer, n).toBe(inner.id);
    }
    const b4 = s.namespaces.find((x) => x.name === 'bulk4')!.id;
    expect(s.rules).toContainEqual(expect.objectContaining({ ns: b4, table: 'filter', chain: 'INPUT', spec: '-s 10.9.9.9/32 -j DROP' }));
    expect(s.rules.filter((r) => r.spec === '-s 10.9.9.9/32 -j DROP')).toHaveLength(1);
    // The earlier namespaces are still all right when read in bulk.
    snap = s;
    expect(ifc(named('pc'), 'vc').peer).toBe(ifc(named('pd'), 'vd').id);
    expect(ifc(ownInode(), 'h-pb').peer).toBe(ifc(named('pb'), 'eth0').id);
  });

  it('without root: own namespace only, host.privileged false and a notice saying why', async () => {
    // setpriv drops to nobody; the bundle must be built (scripts/build.mjs --helper-only).
    await sh(['node', 'scripts/build.mjs', '--helper-only']);
    const out = await sh(['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', 'node', 'out/helper/netloom.cjs', 'snapshot']);
    const s = Snapshot.parse(JSON.parse(out));
    expect(s.host.privileged).toBe(false);
    expect(s.notices).toContainEqual({ level: 'warning', message: 'Seeing other network namespaces needs the privileged helper (run as root).' });
    const host = s.namespaces.find((n) => n.kind === 'host')!;
    expect(host.id).toBe(ownInode());
    expect(s.interfaces.some((i) => i.ns === host.id && i.name === 'h-pa')).toBe(true);
  });
});
