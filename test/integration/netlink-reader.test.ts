import { isDeepStrictEqual } from 'node:util';
import { spawn } from 'node:child_process';
import { readlinkSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemExec } from '../../helper/exec.js';
import { NAMED_DIR } from '../../helper/discover/namespaces.js';
import { firewallHints, hasFirewallTables, stateFromDump } from '../../helper/discover/netlink/dump-state.js';
import { nativeReaderAvailable, readNative } from '../../helper/discover/netlink/read-native.js';
import type { NsDump } from '../../helper/discover/netlink/records.js';
import type { NsTarget } from '../../helper/discover/ns-target.js';
import { readNamespace, type NamespaceState } from '../../helper/discover/read-namespace.js';
import { NativeNsMonitors } from '../../helper/watch/native-monitors.js';
import { TopologyCache } from '../../helper/discover/topology-cache.js';
import type { Snapshot } from '../../protocol/src/snapshot.js';
import { lab, resetSandbox, sh } from '../sandbox.js';

// netloom-nsread + the TypeScript netlink decoders must give exactly what ip's JSON gives:
// the kinds of link this kernel can make (it has no dummy, vlan or bond module), IPv4 and IPv6 addresses, routes of several tables and types.
// No duplicate address detection in a and b: its late RTM_NEWADDR (a link-local address turning
// from tentative, seconds after the link came up) would be a change the --monitor test does not make.
const LAB = `
ip netns add a
ip netns add b
ip netns exec a sysctl -q -w net.ipv6.conf.default.accept_dad=0
ip netns exec b sysctl -q -w net.ipv6.conf.default.accept_dad=0
ip link add br0 type bridge
ip link set br0 up
ip addr add 10.9.0.1/24 dev br0
ip addr add fd00:9::1/64 dev br0
ip link add va type veth peer name eth0 netns a
ip link set va master br0
ip link set va up
ip link add vb type veth peer name eth0 netns b
ip link set vb master br0
ip link add up0 type veth peer name up1
ip link set up0 up
ip link add mv0 link up0 type macvlan mode bridge
ip link add vx0 type vxlan id 100 dev up0 dstport 4789
ip tuntap add tap0 mode tap
ip addr add 192.0.2.7/32 dev up0
ip addr add 2001:db8::ffff:0:1/64 dev up0
ip route add 198.51.100.0/24 dev up0 metric 50
ip route add 203.0.113.0/24 dev up0 table 100
ip route add blackhole 203.0.113.128/25
ip route add unreachable 2001:db8:1::/48
ip -n a link set lo up
ip -n a link set eth0 up
ip -n a addr add 10.9.0.2/24 dev eth0
ip -n a route add default via 10.9.0.1
ip -n a addr add fd00:9::2/64 dev eth0 nodad
ip -n b addr add 10.9.0.3/24 dev eth0
ip netns exec a sysctl -q -w net.ipv4.ip_forward=1
ip netns exec a iptables -A INPUT -p tcp --dport 80 -j ACCEPT
`;

const ownInode = (): number => Number(/\d+/.exec(readlinkSync('/proc/self/ns/net'))![0]);
const inodeOfPath = async (p: string): Promise<number> => Number((await sh(['stat', '-L', '-c', '%i', p])).trim());

/** Counters move between two reads; everything else must be the same. */
function comparable(s: NamespaceState): unknown {
  return {
    links: s.links.map((l) => ({ ...l, stats: l.stats === null ? null : 'present' })),
    routes: s.routes,
    ipForward: s.ipForward,
  };
}

describe('netloom-nsread against ip', () => {
  let dumps: Map<number, NsDump>;
  const targets: NsTarget[] = [];

  beforeAll(async () => {
    await resetSandbox();
    await lab(LAB);
    targets.push({ id: `ns:${ownInode()}`, path: '/proc/self/ns/net', name: null, own: true });
    for (const n of ['a', 'b']) targets.push({ id: `ns:${await inodeOfPath(`${NAMED_DIR}/${n}`)}`, path: `${NAMED_DIR}/${n}`, name: n, own: false });
    expect(nativeReaderAvailable(), 'netloom-nsread is built by scripts/build.mjs (needs a C compiler)').toBe(true);
    const read = await readNative(systemExec, ['/proc/self/ns/net', NAMED_DIR]);
    expect(read).not.toBeNull();
    dumps = read!;
  });
  afterAll(resetSandbox);

  it('reads the helper’s own namespace and every /run/netns entry, by inode', () => {
    for (const t of targets) expect(dumps.has(Number(t.id.slice(3))), t.id).toBe(true);
    expect(dumps.size).toBe(3);
  });

  for (const which of ['host', 'a', 'b']) {
    it(`gives what ip gives for ${which}`, async () => {
      const t = which === 'host' ? targets[0]! : targets.find((x) => x.name === which)!;
      const viaIp = await readNamespace(systemExec, t);
      const native = stateFromDump(t.id, dumps.get(Number(t.id.slice(3)))!);
      expect(native.error).toBeNull();
      expect(comparable(native)).toEqual(comparable(viaIp));
      // The lab's kinds really are there (a comparison of two empty lists proves nothing).
      if (which === 'host') {
        const kinds = new Set(native.links.map((l) => l.linkKind));
        for (const k of ['bridge', 'veth', 'macvlan', 'vxlan', 'tun']) expect(kinds, k).toContain(k);
        expect(native.routes.some((r) => r.table === '100')).toBe(true);
        expect(native.routes.some((r) => r.type === 'unreachable' && r.family === 6)).toBe(true);
      }
    });
  }

  it('the whole snapshot is the same read either way (ip is what runs without a C compiler)', async () => {
    const comparableSnap = (x: Snapshot): unknown => ({
      ...x,
      takenAt: null,
      // the snapshot's own process differs; counters move
      namespaces: x.namespaces.map((n) => ({ ...n, pids: null, processes: null })),
      interfaces: x.interfaces.map((i) => ({ ...i, stats: null })),
      rules: x.rules.map((r) => ({ ...r, packets: null, bytes: null })),
      chains: x.chains?.map((c) => ({ ...c, packets: null, bytes: null })),
    });
    const native = new TopologyCache(systemExec, { runtimes: null });
    expect(native.nativeReader).toBe(true);
    const viaIp = new TopologyCache(systemExec, { runtimes: null, nativeReader: false });
    // The kernel may still be settling (an IPv6 link-local address and its local route come a moment
    // after a link goes up): read both again until they agree, or fail on the last reading.
    let [a, b] = [await native.refreshAll(), await viaIp.refreshAll()];
    for (let i = 0; i < 5 && !isDeepStrictEqual(comparableSnap(a), comparableSnap(b)); i++) {
      await new Promise((r) => setTimeout(r, 300));
      [a, b] = [await native.refreshAll(), await viaIp.refreshAll()];
    }
    expect(a.rules.some((r) => r.spec.includes('--dport 80'))).toBe(true); // a's rule was read
    expect(comparableSnap(a)).toEqual(comparableSnap(b));
  });

  it('knows which namespaces have iptables tables, and iptables-save agrees', async () => {
    for (const t of targets.slice(1)) {
      const d = dumps.get(Number(t.id.slice(3)))!;
      const text = (await sh(['ip', 'netns', 'exec', t.name!, 'iptables-save'])).trim();
      expect(hasFirewallTables(firewallHints(d)), t.name!).toBe(text !== '');
    }
    expect(hasFirewallTables(firewallHints(dumps.get(Number(targets.find((x) => x.name === 'a')!.id.slice(3)))!))).toBe(true);
    expect(hasFirewallTables(firewallHints(dumps.get(Number(targets.find((x) => x.name === 'b')!.id.slice(3)))!))).toBe(false);
  });

  it('reports a namespace it cannot open, and goes on with the rest', async () => {
    const read = await readNative(systemExec, [`${NAMED_DIR}/no-such-namespace`, `${NAMED_DIR}/a`]);
    expect(read).not.toBeNull();
    expect([...read!.values()].map((d) => d.path)).toEqual([`${NAMED_DIR}/a`]);
  });

  it('--tables: the nftables generation moves with every iptables change, and only then', async () => {
    const a = targets.find((x) => x.name === 'a')!;
    const gen = async (): Promise<number | null> => (await readNative(systemExec, [a.path], undefined, 'tables'))!.get(Number(a.id.slice(3)))!.nftGen;
    const g1 = await gen();
    expect(g1).not.toBeNull();
    expect(await gen()).toBe(g1);
    await sh(['ip', 'netns', 'exec', 'a', 'iptables', '-A', 'INPUT', '-p', 'udp', '--dport', '53', '-j', 'ACCEPT']);
    expect(await gen()).not.toBe(g1);
  });

  it('--monitor: one process hears every watched namespace, and letting go frees the namespace', async () => {
    const changes: string[] = [];
    const m = new NativeNsMonitors(systemExec, { onChange: (id) => changes.push(id), onExit: () => {} });
    // An unnamed namespace held by a process, joined to the host by a veth.
    const holder = spawn('unshare', ['--net', 'sleep', '30'], { stdio: 'ignore' });
    let inode = '';
    for (let i = 0; i < 100 && !inode; i++) {
      await new Promise((r) => setTimeout(r, 10));
      const l = readlinkSync(`/proc/${holder.pid}/ns/net`);
      if (l !== readlinkSync('/proc/self/ns/net')) inode = /\d+/.exec(l)![0];
    }
    const unnamed: NsTarget = { id: `ns:${inode}`, path: `/proc/${holder.pid}/ns/net`, name: null, own: false };
    await sh(['ip', 'link', 'add', 'hold0', 'type', 'veth', 'peer', 'name', 'eth9', 'netns', String(holder.pid)]);
    const all = [...targets, unnamed];
    try {
      expect(m.reconcile(all.map((t) => t.id), (id) => all.find((t) => t.id === id))).toHaveLength(4);
      await new Promise((r) => setTimeout(r, 100));
      await sh(['ip', '-n', 'b', 'link', 'set', 'lo', 'up']);
      await sh(['nsenter', `--net=/proc/${holder.pid}/ns/net`, 'ip', 'link', 'set', 'eth9', 'up']);
      const deadline = Date.now() + 2000;
      while (Date.now() < deadline && !(changes.includes(targets[2]!.id) && changes.includes(unnamed.id))) await new Promise((r) => setTimeout(r, 10));
      expect(changes).toContain(targets[2]!.id);
      expect(changes).toContain(unnamed.id);
      expect(changes).not.toContain(targets[1]!.id); // a did not change

      // The process ends; our socket alone would keep the namespace (and hold0) alive until let go.
      holder.kill('SIGKILL');
      await new Promise((r) => holder.once('exit', r));
      await new Promise((r) => setTimeout(r, 300));
      expect(await sh(['ip', '-j', 'link', 'show'])).toContain('"hold0"');
      m.reconcile(targets.map((t) => t.id), (id) => all.find((t) => t.id === id));
      const gone = Date.now() + 3000;
      while (Date.now() < gone && (await sh(['ip', '-j', 'link', 'show'])).includes('"hold0"')) await new Promise((r) => setTimeout(r, 20));
      expect(await sh(['ip', '-j', 'link', 'show'])).not.toContain('"hold0"');
    } finally {
      m.stopAll();
      holder.kill('SIGKILL');
    }
  });
});
