import { spawn, type ChildProcess } from 'node:child_process';
import { readlinkSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Snapshot, type Interface } from '../../protocol/src/index.js';
import { systemExec } from '../../helper/exec.js';
import { takeSnapshot } from '../../helper/discover/topology-cache.js';
import { lab, resetSandbox, sh } from '../sandbox.js';
import { LAB_A } from '../labs.js';

// The labs people build by hand, rebuilt in the sandbox: every fact must show in the snapshot.

const hostId = (): string => `ns:${/\d+/.exec(readlinkSync('/proc/self/ns/net'))![0]}`;

function finder(snap: Snapshot) {
  const nsOf = (label: string): string => (label === 'host' ? hostId() : snap.namespaces.find((n) => n.name === label)!.id);
  const ifc = (label: string, name: string): Interface => {
    const i = snap.interfaces.find((x) => x.ns === nsOf(label) && x.name === name);
    if (!i) throw new Error(`no ${name} in ${label}`);
    return i;
  };
  return { nsOf, ifc };
}


function checkLabA(snap: Snapshot): void {
  expect(Snapshot.safeParse(snap).success).toBe(true);
  const { nsOf, ifc } = finder(snap);
  const host = hostId();
  // Namespaces
  for (const n of ['ns1', 'ns2']) expect(snap.namespaces.find((x) => x.name === n)).toMatchObject({ kind: 'named', pids: [], container: null, ipForward: false });
  expect(snap.namespaces.find((x) => x.id === host)).toMatchObject({ kind: 'host', ipForward: true });
  // Interfaces, addresses, state
  const br3 = ifc('host', 'br3');
  expect(br3).toMatchObject({ kind: 'bridge', up: true, master: null });
  expect(br3.addresses).toContain('170.19.0.3/24');
  expect(ifc('host', 'eth0')).toMatchObject({ up: true, addresses: expect.arrayContaining(['192.0.2.10/24']) });
  for (const [i, label] of [[1, 'ns1'], [2, 'ns2']] as const) {
    const inner = ifc(label, 'eth0');
    const outer = ifc('host', `veth${i}`);
    expect(inner).toMatchObject({ kind: 'veth', ifindex: 2, up: true, operstate: 'UP', peer: outer.id, master: null });
    expect(inner.addresses).toContain(`170.19.0.${i}/24`);
    expect(outer).toMatchObject({ kind: 'veth', up: true, master: br3.id, peer: inner.id });
    expect(snap.routes).toContainEqual(
      expect.objectContaining({ ns: nsOf(label), table: 'main', dst: 'default', gateway: '170.19.0.3', dev: inner.id, family: 4 }),
    );
    expect(snap.routes).toContainEqual(expect.objectContaining({ ns: nsOf(label), dst: '170.19.0.0/24', dev: inner.id, scope: 'link' }));
  }
  expect(ifc('ns1', 'lo').up).toBe(true);
  expect(ifc('ns2', 'lo').up).toBe(false);
  expect(snap.routes).toContainEqual(expect.objectContaining({ ns: host, dst: '170.19.0.0/24', dev: br3.id, src: '170.19.0.3' }));
  // Rules
  expect(snap.rules).toContainEqual(
    expect.objectContaining({ ns: host, table: 'nat', chain: 'POSTROUTING', spec: '-s 170.19.0.0/24 -o eth0 -j MASQUERADE', owner: 'user' }),
  );
  expect(snap.rules).toContainEqual(
    expect.objectContaining({ ns: host, table: 'nat', chain: 'PREROUTING', spec: '-p tcp -m tcp --dport 90 -j DNAT --to-destination 170.19.0.2:80' }),
  );
  // Port mapping 90 → 170.19.0.2:80, on ns2's veth end
  const pm = snap.portMappings.filter((p) => p.ns === host);
  expect(pm).toHaveLength(1);
  expect(pm[0]).toMatchObject({
    proto: 'tcp',
    hostPort: 90,
    targetIp: '170.19.0.2',
    targetPort: 80,
    targetInterface: ifc('ns2', 'eth0').id,
    localAccess: false,
    owner: 'user',
  });
  expect(pm[0]!.chains).toContain('PREROUTING');
}

describe('lab (a): two namespaces on a bridge, NAT out and a port forward in', () => {
  beforeAll(async () => {
    await resetSandbox();
    await lab(LAB_A);
  });
  afterAll(async () => {
    await resetSandbox();
    await sh(['sysctl', '-qw', 'net.ipv4.ip_forward=0']);
  });

  it('every fact appears in the snapshot from the helper code', async () => {
    checkLabA(await takeSnapshot(systemExec));
  });

  it('and in `bin/netloom snapshot` (the built CLI)', async () => {
    await sh(['node', 'scripts/build.mjs', '--helper-only']);
    const out = await sh(['bin/netloom', 'snapshot']);
    checkLabA(Snapshot.parse(JSON.parse(out)));
    const pretty = await sh(['bin/netloom', 'snapshot', '--pretty']);
    expect(pretty.split('\n').length).toBeGreaterThan(100);
  });

  it('the lab really works: ns1 reaches ns2 across br3', async () => {
    await sh(['ip', 'netns', 'exec', 'ns1', 'ping', '-c', '1', '-W', '2', '170.19.0.2']);
  });
});

// lxc-net's start_iptables (lxc/lxc config/init/common/lxc-net.in), verbatim with its defaults.
const LXC_NET = `
  ip link add dev lxcbr0 type bridge
  sysctl -w net.ipv4.ip_forward=1
  ip addr add 10.0.3.1/24 broadcast + dev lxcbr0
  ip link set dev lxcbr0 address 00:16:3e:00:00:00
  ip link set dev lxcbr0 up
  iptables -w -I INPUT -i lxcbr0 -p udp --dport 67 -j ACCEPT
  iptables -w -I INPUT -i lxcbr0 -p tcp --dport 67 -j ACCEPT
  iptables -w -I INPUT -i lxcbr0 -p udp --dport 53 -j ACCEPT
  iptables -w -I INPUT -i lxcbr0 -p tcp --dport 53 -j ACCEPT
  iptables -w -I FORWARD -i lxcbr0 -j ACCEPT
  iptables -w -I FORWARD -o lxcbr0 -j ACCEPT
  iptables -w -t nat -A POSTROUTING -s 10.0.3.0/24 ! -d 10.0.3.0/24 -j MASQUERADE
  iptables -w -t mangle -A POSTROUTING -o lxcbr0 -p udp -m udp --dport 68 -j CHECKSUM --checksum-fill
`;

describe('lab (b): LXC\'s lxc-net bridge and rules, with a container-like namespace on it', () => {
  let child: ChildProcess | undefined;
  let pid = 0;
  beforeAll(async () => {
    await resetSandbox();
    await lab(LXC_NET);
    child = spawn('unshare', ['--net', 'sleep', '30'], { stdio: 'ignore' });
    pid = child.pid!;
    const own = readlinkSync('/proc/self/ns/net');
    for (let i = 0; i < 100 && readlinkSync(`/proc/${pid}/ns/net`) === own; i++) await new Promise((r) => setTimeout(r, 10));
    await lab(`
      ip link add vethLX01 type veth peer name eth0 netns ${pid}
      ip link set vethLX01 master lxcbr0
      ip link set vethLX01 up
      nsenter --net=/proc/${pid}/ns/net ip addr add 10.0.3.100/24 dev eth0
      nsenter --net=/proc/${pid}/ns/net ip link set eth0 up
    `);
  });
  afterAll(async () => {
    if (child?.exitCode === null) process.kill(pid, 'SIGKILL');
    await resetSandbox();
    await sh(['sysctl', '-qw', 'net.ipv4.ip_forward=0']);
  });

  it('shows lxcbr0, its container end, and every lxc-net rule owned by lxc', async () => {
    const snap = await takeSnapshot(systemExec);
    expect(Snapshot.safeParse(snap).success).toBe(true);
    const { ifc } = finder(snap);
    const host = hostId();
    const br = ifc('host', 'lxcbr0');
    expect(br).toMatchObject({ kind: 'bridge', up: true, mac: '00:16:3e:00:00:00' });
    expect(br.addresses).toContain('10.0.3.1/24');
    expect(snap.namespaces.find((n) => n.id === host)?.ipForward).toBe(true);
    const ct = snap.namespaces.find((n) => n.pids.includes(pid))!;
    expect(ct).toMatchObject({ kind: 'process', name: null });
    const inner = snap.interfaces.find((i) => i.ns === ct.id && i.name === 'eth0')!;
    expect(inner.addresses).toContain('10.0.3.100/24');
    expect(ifc('host', 'vethLX01')).toMatchObject({ master: br.id, peer: inner.id });
    expect(inner.peer).toBe(ifc('host', 'vethLX01').id);

    const expected: [string, string, string][] = [
      ['filter', 'INPUT', '-i lxcbr0 -p udp -m udp --dport 67 -j ACCEPT'],
      ['filter', 'INPUT', '-i lxcbr0 -p tcp -m tcp --dport 67 -j ACCEPT'],
      ['filter', 'INPUT', '-i lxcbr0 -p udp -m udp --dport 53 -j ACCEPT'],
      ['filter', 'INPUT', '-i lxcbr0 -p tcp -m tcp --dport 53 -j ACCEPT'],
      ['filter', 'FORWARD', '-i lxcbr0 -j ACCEPT'],
      ['filter', 'FORWARD', '-o lxcbr0 -j ACCEPT'],
      ['nat', 'POSTROUTING', '-s 10.0.3.0/24 ! -d 10.0.3.0/24 -j MASQUERADE'],
      ['mangle', 'POSTROUTING', '-o lxcbr0 -p udp -m udp --dport 68 -j CHECKSUM --checksum-fill'],
    ];
    const hostRules = snap.rules.filter((r) => r.ns === host);
    for (const [table, chain, spec] of expected) {
      expect(hostRules, `${table} ${chain} ${spec}`).toContainEqual(expect.objectContaining({ table, chain, spec, owner: 'lxc' }));
    }
    expect(hostRules).toHaveLength(expected.length);
    // `-I` inserts at the top: the last one inserted comes first, as iptables-save lists them.
    expect(hostRules.filter((r) => r.chain === 'INPUT').map((r) => r.spec)[0]).toBe('-i lxcbr0 -p tcp -m tcp --dport 53 -j ACCEPT');
    expect(snap.portMappings.filter((p) => p.ns === host)).toEqual([]);
    expect(snap.chains).toContainEqual(expect.objectContaining({ ns: host, table: 'filter', chain: 'INPUT', policy: 'ACCEPT' }));
  });
});
