import { describe, expect, it } from 'vitest';
import { parseDockerProxy } from '../../../../../helper/discover/runtimes/docker-proxy.js';
import { parseDnsmasq } from '../../../../../helper/discover/runtimes/dnsmasq.js';
import { lxcNetworkFromDnsmasq, parseLxcConfig } from '../../../../../helper/discover/runtimes/lxc.js';
import { parentPidFromStat, parseLxcStarter } from '../../../../../helper/discover/runtimes/lxc-monitor.js';
import { parseLibpodContainers, parseLibpodNetworks, parseStorageContainers } from '../../../../../helper/discover/runtimes/podman.js';
import { fixtureText } from './docker-fixtures.js';

describe('docker-proxy command lines (recorded)', () => {
  it('reads the IPv4 and IPv6 proxies of -p 18080:80', () => {
    expect(parseDockerProxy(fixtureText('docker-proxy-1.cmdline'), 11, 'ns:1')).toEqual({
      pid: 11,
      ns: 'ns:1',
      proto: 'tcp',
      hostIp: '0.0.0.0',
      hostPort: 18080,
      targetIp: '172.17.0.2',
      targetPort: 80,
    });
    expect(parseDockerProxy(fixtureText('docker-proxy-2.cmdline'), 12, 'ns:1')).toMatchObject({ hostIp: '::', hostPort: 18080, targetIp: '172.17.0.2' });
  });
  it('ignores other programs and broken command lines', () => {
    expect(parseDockerProxy('sleep\x003600\x00', 1, 'ns:1')).toBeNull();
    expect(parseDockerProxy('docker-proxy\x00-proto\x00tcp\x00-host-port\x00x\x00', 1, 'ns:1')).toBeNull();
    expect(parseDockerProxy('docker-proxy\x00-proto\x00icmp\x00-host-port\x001\x00-container-ip\x001.1.1.1\x00-container-port\x001\x00', 1, 'ns:1')).toBeNull();
  });
});

// lxc-net's dnsmasq, argv as its start script builds it (lxc 4/5, config/init/common/lxc-net.in) — LXC cannot run here.
const LXC_NET_DNSMASQ = [
  'dnsmasq', '--conf-file=/dev/null', '-u', 'lxc-dnsmasq', '--strict-order', '--bind-interfaces', '--pid-file=/run/lxc/dnsmasq.pid',
  '--listen-address', '10.0.3.1', '--dhcp-range', '10.0.3.2,10.0.3.254', '--dhcp-lease-max=253', '--dhcp-no-override',
  '--except-interface=lo', '--interface=lxcbr0', '--dhcp-leasefile=/var/lib/misc/dnsmasq.lxcbr0.leases', '--dhcp-authoritative', '',
].join('\0');

describe('LXC', () => {
  it('finds lxcbr0 and its DHCP range in lxc-net\'s dnsmasq', () => {
    expect(parseDnsmasq(LXC_NET_DNSMASQ, 812)).toEqual({ pid: 812, interfaces: ['lxcbr0'], dhcpRanges: [{ from: '10.0.3.2', to: '10.0.3.254' }] });
    expect(lxcNetworkFromDnsmasq(LXC_NET_DNSMASQ, 812)).toMatchObject({
      runtime: 'lxc',
      name: 'lxcbr0',
      bridgeName: 'lxcbr0',
      explanation: ['LXC\'s lxcbr0: DHCP range 10.0.3.2–10.0.3.254 (dnsmasq pid 812)'],
    });
  });
  it('reads short and = spellings, and leaves other dnsmasqs alone', () => {
    expect(parseDnsmasq('/usr/sbin/dnsmasq\0-i\0virbr0\0--dhcp-range=192.168.122.2,192.168.122.254,255.255.255.0\0', 5)).toEqual({
      pid: 5,
      interfaces: ['virbr0'],
      dhcpRanges: [{ from: '192.168.122.2', to: '192.168.122.254' }],
    });
    expect(lxcNetworkFromDnsmasq('/usr/sbin/dnsmasq\0-i\0virbr0\0', 5)).toBeNull();
    expect(parseDnsmasq('sleep\0', 5)).toBeNull();
  });
  it('reads a container\'s bridges from its config (new and old keys)', () => {
    const config = 'lxc.include = /usr/share/lxc/config/common.conf\nlxc.net.0.type = veth\nlxc.net.0.link = lxcbr0\nlxc.net.0.flags = up\nlxc.net.1.link=br1\n';
    expect(parseLxcConfig(config)).toEqual({ links: ['lxcbr0', 'br1'], template: null });
    expect(parseLxcConfig('lxc.network.type = veth\nlxc.network.link = lxcbr0\n')).toEqual({ links: ['lxcbr0'], template: null });
  });
  it('names the template with its parameters as the container\'s image (lxc-create\'s header)', () => {
    const header = '# Template used to create this container: /usr/share/lxc/templates/lxc-download\n# Parameters passed to the template: -d debian -r bookworm -a amd64\n';
    expect(parseLxcConfig(header).template).toBe('download -d debian -r bookworm -a amd64');
  });
  it('finds the lxcpath in the starter\'s command line: the monitor\'s title or lxc-start\'s options', () => {
    expect(parseLxcStarter('[lxc monitor] /home/ann/.local/share/lxc/ web1\0\0\0')).toEqual({ lxcpath: '/home/ann/.local/share/lxc', name: 'web1' });
    expect(parseLxcStarter('[lxc monitor] /srv/my lxc web1\0')).toEqual({ lxcpath: '/srv/my lxc', name: 'web1' });
    // Debian's lxc@.service: `lxc-start -F -n %i` (LXC's default lxcpath).
    expect(parseLxcStarter('/usr/bin/lxc-start\0-F\0-n\0web1\0')).toEqual({ lxcpath: null, name: 'web1' });
    expect(parseLxcStarter('lxc-start\0--lxcpath=/srv/lxc\0--name=web1\0-F\0')).toEqual({ lxcpath: '/srv/lxc', name: 'web1' });
    expect(parseLxcStarter('lxc-start\0-P/srv/lxc\0-nweb1\0')).toEqual({ lxcpath: '/srv/lxc', name: 'web1' });
    // Nothing that could steer a read outside a plain absolute path.
    expect(parseLxcStarter('[lxc monitor] /var/lib/../../etc web1\0')).toBeNull();
    expect(parseLxcStarter('lxc-start\0-P\0relative\0-n\0web1\0')).toBeNull();
    expect(parseLxcStarter('sleep\0-n\0web1\0')).toBeNull();
    expect(parentPidFromStat('361 (my (odd) init) S 360 361 361 0')).toBe(360);
    expect(parentPidFromStat('garbage')).toBeNull();
  });
});

// Hand-made edge cases (a stopped container, garbage); the real tool's output is tested in
// podman-recorded.test.ts (recorded by test/fixtures/podman/record.sh in the sandbox).
describe('Podman', () => {
  const id = 'a'.repeat(64);
  it('names containers from libpod\'s list, which carries the pid', () => {
    const doc = [
      { Id: id, Names: ['web'], Image: 'docker.io/library/nginx:latest', Pid: 4242, Networks: ['podman'], State: 'running' },
      { Id: 'b'.repeat(64), Names: ['stopped'], Image: 'x', Pid: 0, Networks: [] },
    ];
    expect(parseLibpodContainers(doc)).toEqual([
      { pid: 4242, info: { runtime: 'podman', id, name: 'web', image: 'docker.io/library/nginx:latest', networks: ['podman'], pid: 4242 } },
    ]);
  });
  it('explains its networks (netavark\'s podman0)', () => {
    const doc = [{ name: 'podman', id: 'c'.repeat(64), driver: 'bridge', network_interface: 'podman0', subnets: [{ subnet: '10.88.0.0/16', gateway: '10.88.0.1' }], internal: false }];
    expect(parseLibpodNetworks(doc)).toEqual([
      {
        runtime: 'podman',
        name: 'podman',
        id: 'c'.repeat(64),
        driver: 'bridge',
        bridgeName: 'podman0',
        subnet: '10.88.0.0/16',
        gateway: '10.88.0.1',
        options: {},
        explanation: ['bridge network \'podman\' on podman0, 10.88.0.0/16 via 10.88.0.1'],
      },
    ]);
  });
  it('maps ids to names from containers.json, and survives garbage', () => {
    const text = JSON.stringify([{ id, names: ['web'], image: 'f'.repeat(64), layer: 'e'.repeat(64), metadata: '{}' }]);
    expect([...parseStorageContainers(text)]).toEqual([[id, 'web']]);
    expect(parseStorageContainers('not json').size).toBe(0);
  });
});
