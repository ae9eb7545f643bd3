import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PortMapping, type Interface, type Namespace, type Route, type Rule } from '../../../../protocol/src/index.js';
import { parseIptablesSave } from '../../../../helper/firewall/iptables-save.js';
import { derivePortMappings } from '../../../../helper/discover/port-mappings.js';
import { parseToDestination } from '../../../../helper/firewall/nat-target.js';
import { portElements } from '../../../../helper/firewall/form-iptables.js';

const fixture = (name: string): string =>
  readFileSync(join(__dirname, '..', '..', '..', 'fixtures', 'iptables', `${name}.txt`), 'utf8');

const HOST = 'ns:100';
const ns = (id: string, kind: Namespace['kind'] = 'named'): Namespace => ({
  id, inode: Number(id.slice(3)), name: null, kind, pids: [], container: null, ipForward: null,
});
let ifindex = 1;
const iface = (nsId: string, name: string, addresses: string[], extra: Partial<Interface> = {}): Interface => {
  const index = ifindex++;
  return {
    id: `${nsId}/${index}`, ns: nsId, ifindex: index, name, kind: 'veth', mac: null, mtu: 1500, up: true,
    operstate: 'UP', addresses, master: null, peer: null, stats: null, ...extra,
  };
};
const route = (nsId: string, dst: string, dev: string): Route => ({
  ns: nsId, table: 'main', dst, gateway: null, dev, src: null, protocol: 'kernel', scope: 'link', metric: null,
});
const rulesOf = (name: string, nsId = HOST): Rule[] => parseIptablesSave(fixture(name), nsId).rules;

describe('derivePortMappings on the lab', () => {
  const br0 = iface(HOST, 'br0', ['170.19.0.1/24'], { kind: 'bridge' });
  const ns1eth = iface('ns:201', 'eth0', ['170.19.0.2/24', 'fe80::1/64']);
  const ns2eth = iface('ns:202', 'eth0', ['170.19.0.3/24']);

  it('maps host port 90 to 170.19.0.2:80 on ns1\'s eth0, not reachable from the host itself', () => {
    const mappings = derivePortMappings({
      namespaces: [ns(HOST, 'host'), ns('ns:201'), ns('ns:202')],
      interfaces: [br0, ns1eth, ns2eth],
      rules: rulesOf('lab'),
      routes: [],
    });
    expect(mappings).toEqual([
      {
        ns: HOST, proto: 'tcp', hostIp: '0.0.0.0', hostPort: 90, targetIp: '170.19.0.2', targetPort: 80,
        targetInterface: ns1eth.id, chains: ['PREROUTING'], localAccess: false, owner: 'user',
      },
    ]);
    for (const m of mappings) PortMapping.parse(m);
  });

  it('gives the same mapping from output without counters', () => {
    const m = derivePortMappings({ namespaces: [], interfaces: [], rules: rulesOf('lab-nocounters'), routes: [] });
    expect(m.map((x) => [x.hostPort, x.targetIp, x.targetPort, x.targetInterface])).toEqual([[90, '170.19.0.2', 80, null]]);
  });
});

describe('derivePortMappings on Docker 20.10', () => {
  const docker0 = iface(HOST, 'docker0', ['172.17.0.1/16'], { kind: 'bridge' });
  const c1 = iface('ns:300', 'eth0', ['172.17.0.2/16']);

  it('merges the PREROUTING and OUTPUT paths into one mapping 18080 → 172.17.0.2:80, reachable locally', () => {
    const mappings = derivePortMappings({
      namespaces: [ns(HOST, 'host'), ns('ns:300', 'container')],
      interfaces: [docker0, c1],
      rules: rulesOf('docker'),
      routes: [],
    });
    expect(mappings).toEqual([
      {
        ns: HOST, proto: 'tcp', hostIp: '0.0.0.0', hostPort: 18080, targetIp: '172.17.0.2', targetPort: 80,
        targetInterface: c1.id, chains: ['PREROUTING', 'OUTPUT', 'DOCKER'], localAccess: true, owner: 'docker',
      },
    ]);
  });

  it('is not locally reachable when published on 127.0.0.1 (Docker\'s OUTPUT jump excludes 127.0.0.0/8)', () => {
    const rules = rulesOf('docker').map((r) =>
      r.target === 'DNAT' ? { ...r, spec: r.spec.replace('! -i docker0', '-d 127.0.0.1/32 ! -i docker0') } : r,
    );
    const [m] = derivePortMappings({ namespaces: [], interfaces: [], rules, routes: [] });
    expect(m).toMatchObject({ hostIp: '127.0.0.1', hostPort: 18080, localAccess: false, chains: ['PREROUTING', 'DOCKER'] }); // the OUTPUT path's `! -d 127.0.0.0/8` can never hold for it
  });
});

describe('derivePortMappings on Podman (netavark)', () => {
  const c = iface('ns:500', 'eth0', ['10.88.0.2/16']);
  const mappings = derivePortMappings({ namespaces: [], interfaces: [c], rules: rulesOf('podman'), routes: [] });

  it('finds 8080 → 10.88.0.2:80 through HOSTPORT-DNAT and the DN chain, from both entry chains', () => {
    const chains = ['PREROUTING', 'OUTPUT', 'NETAVARK-HOSTPORT-DNAT', 'NETAVARK-DN-1D8721804F16F'];
    expect(mappings).toEqual([
      { ns: HOST, proto: 'tcp', hostIp: '0.0.0.0', hostPort: 8080, targetIp: '10.88.0.2', targetPort: 80, targetInterface: c.id, chains, localAccess: true, owner: 'podman' },
      { ns: HOST, proto: 'udp', hostIp: '0.0.0.0', hostPort: 9000, hostPortEnd: 9002, targetIp: '10.88.0.2', targetPort: 9000, targetInterface: c.id, chains, localAccess: true, owner: 'podman' },
    ]);
  });
});

describe('derivePortMappings on the mixed set', () => {
  const mappings = derivePortMappings({ namespaces: [ns(HOST, 'host')], interfaces: [], rules: rulesOf('mixed'), routes: [] });
  const byPort = (p: number): PortMapping | undefined => mappings.find((m) => m.hostPort === p);

  it('finds exactly the port mappings, skipping the DNAT without a port', () => {
    expect(mappings.map((m) => `${m.proto}/${m.hostPort}`).sort()).toEqual(
      ['sctp/3868', 'tcp/7070', 'tcp/8000', 'tcp/8081', 'tcp/9443', 'udp/5353'],
    );
    expect(mappings.some((m) => m.targetIp === '10.9.0.8')).toBe(false);
    for (const m of mappings) PortMapping.parse(m);
  });

  it('reads a port range with a target range', () => {
    expect(byPort(8000)).toMatchObject({ hostPortEnd: 8010, targetIp: '10.9.0.5', targetPort: 9000, chains: ['PREROUTING'], localAccess: false, owner: 'user' });
  });

  it('keeps the port when --to-destination has none, and reads -d as the host address', () => {
    expect(byPort(5353)).toMatchObject({ proto: 'udp', hostIp: '192.168.50.1', targetIp: '10.9.0.6', targetPort: 5353 });
    expect(byPort(5353)?.hostPortEnd).toBeUndefined();
  });

  it('follows -g into a user chain', () => {
    expect(byPort(3868)).toMatchObject({ proto: 'sctp', targetIp: '10.9.0.9', targetPort: 3868, chains: ['PREROUTING', 'LABFWD'], localAccess: false });
  });

  it('marks an OUTPUT-only DNAT as locally reachable', () => {
    expect(byPort(7070)).toMatchObject({ hostIp: '127.0.0.1', targetIp: '10.9.0.7', targetPort: 70, chains: ['OUTPUT'], localAccess: true });
  });

  it('merges netloom\'s PREROUTING and OUTPUT rules and keeps their owner', () => {
    expect(byPort(9443)).toMatchObject({
      targetIp: '10.9.0.10', targetPort: 443, owner: 'netloom', localAccess: true,
      chains: ['PREROUTING', 'OUTPUT', 'NETLOOM-PREROUTING', 'NETLOOM-OUTPUT'],
    });
  });

  it('takes the port from the jump rule when netavark splits it over two chains', () => {
    expect(byPort(8081)).toMatchObject({
      targetIp: '10.88.0.2', targetPort: 80, owner: 'podman', localAccess: false,
      chains: ['PREROUTING', 'NETAVARK-HOSTPORT-DNAT', 'NETAVARK-DN-1D8721804F16F'],
    });
  });
});

describe('derivePortMappings edge cases', () => {
  const nat = (chain: string, spec: string, nsId = HOST): Rule => ({ ns: nsId, table: 'nat', chain, spec, owner: 'user', packets: 0, bytes: 0 });

  it('keeps namespaces apart and ignores DNATs outside PREROUTING/OUTPUT paths', () => {
    const rules = [
      nat('PREROUTING', '-p tcp -m tcp --dport 1 -j DNAT --to-destination 10.0.0.1:1', 'ns:1'),
      nat('PREROUTING', '-p tcp -m tcp --dport 1 -j DNAT --to-destination 10.0.0.1:1', 'ns:2'),
      nat('ORPHAN', '-p tcp -m tcp --dport 2 -j DNAT --to-destination 10.0.0.1:2', 'ns:1'),
      nat('POSTROUTING', '-p tcp -m tcp --dport 3 -j DNAT --to-destination 10.0.0.1:3', 'ns:1'),
      { ...nat('PREROUTING', '-p tcp -m tcp --dport 4 -j DNAT --to-destination 10.0.0.1:4', 'ns:1'), table: 'filter' },
    ];
    const m = derivePortMappings({ namespaces: [], interfaces: [], rules, routes: [] });
    expect(m.map((x) => `${x.ns} ${x.hostPort}`)).toEqual(['ns:1 1', 'ns:2 1']);
  });

  it('does not count OUTPUT paths that need an input interface', () => {
    const rules = [nat('OUTPUT', '-j HOP'), nat('HOP', '-i eth0 -p tcp -m tcp --dport 5 -j DNAT --to-destination 10.0.0.1:5')];
    expect(derivePortMappings({ namespaces: [], interfaces: [], rules, routes: [] })[0]?.localAccess).toBe(false);
  });

  it('survives jump loops and one mapping per multiport port', () => {
    const rules = [
      nat('PREROUTING', '-j A'), nat('A', '-j B'), nat('B', '-j A'),
      nat('B', '-p udp -m multiport --dports 53,60:61 -j DNAT --to-destination 10.0.0.9'),
    ];
    const m = derivePortMappings({ namespaces: [], interfaces: [], rules, routes: [] });
    expect(m.map((x) => [x.hostPort, x.hostPortEnd, x.targetPort, x.chains])).toEqual([
      [53, undefined, 53, ['PREROUTING', 'A', 'B']],
      [60, 61, 60, ['PREROUTING', 'A', 'B']],
    ]);
  });

  it('picks the target interface the namespace routes to when labs reuse an address', () => {
    const brA = iface(HOST, 'brA', ['10.0.0.1/24'], { kind: 'bridge' });
    const brB = iface(HOST, 'brB', [], { kind: 'bridge' });
    const vethA = iface(HOST, 'vethA', [], { master: brA.id });
    const vethB = iface(HOST, 'vethB', [], { master: brB.id });
    const a = iface('ns:401', 'eth0', ['10.0.0.2/24'], { peer: vethA.id });
    const b = iface('ns:402', 'eth0', ['10.0.0.2/24'], { peer: vethB.id });
    const interfaces = [brA, brB, vethA, vethB, a, b];
    const rules = [nat('PREROUTING', '-p tcp -m tcp --dport 8 -j DNAT --to-destination 10.0.0.2:80')];
    const pick = (routes: Route[]): string | null =>
      derivePortMappings({ namespaces: [], interfaces, rules, routes })[0]?.targetInterface ?? null;
    expect(pick([route(HOST, '10.0.0.0/24', brB.id), route(HOST, 'default', brA.id)])).toBe(b.id);
    expect(pick([route(HOST, '10.0.0.0/16', brA.id)])).toBe(a.id);
    expect(pick([])).toBeNull();
  });

  it('never throws on odd rules', () => {
    const odd = ['-j DNAT', '-p tcp --dport -j DNAT --to-destination', '-p tcp --dport 99999 -j DNAT --to-destination 1.2.3.4',
      '-p tcp --dport 1 -j DNAT --to-destination :', '! -p tcp --dport 1 -j DNAT --to-destination 1.2.3.4', '-p icmp -j DNAT --to-destination 1.2.3.4'];
    const m = derivePortMappings({ namespaces: [], interfaces: [], rules: odd.map((s) => nat('PREROUTING', s)), routes: [] });
    expect(m).toEqual([]);
  });
});

describe('DNAT fields', () => {
  it('reads --to-destination in every spelling iptables-save prints', () => {
    expect(parseToDestination('172.17.0.2:80')).toEqual({ ip: '172.17.0.2', port: 80 });
    expect(parseToDestination('10.9.0.6')).toEqual({ ip: '10.9.0.6', port: null });
    expect(parseToDestination('10.9.0.5:9000-9010')).toEqual({ ip: '10.9.0.5', port: 9000 });
    expect(parseToDestination('10.88.0.2:9000-9002/9000')).toEqual({ ip: '10.88.0.2', port: 9000 });
    expect(parseToDestination('10.88.0.2:80/8080')).toEqual({ ip: '10.88.0.2', port: 80 });
    expect(parseToDestination('10.0.0.5-10.0.0.9:80')).toEqual({ ip: '10.0.0.5', port: 80 });
    expect(parseToDestination('[fd00::2]:80')).toEqual({ ip: 'fd00::2', port: 80 });
    expect(parseToDestination('fd00::2')).toEqual({ ip: 'fd00::2', port: null });
    expect(parseToDestination('1.2.3.4:http')).toBeNull();
  });

  it('reads ports, ranges and multiport lists', () => {
    expect(portElements('80')).toEqual([{ kind: 'value', value: '80' }]);
    expect(portElements('8000:8010')).toEqual([{ kind: 'range', from: '8000', to: '8010' }]);
    expect(portElements('53,60:61,x')).toEqual([{ kind: 'value', value: '53' }, { kind: 'range', from: '60', to: '61' }]);
    expect(portElements(':1024')).toEqual([{ kind: 'range', from: '0', to: '1024' }]);
  });
});
