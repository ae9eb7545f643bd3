import { describe, expect, it } from 'vitest';
import type { Interface } from '../../../../../protocol/src/index.js';
import { parseIptablesSave } from '../../../../../helper/firewall/iptables-save.js';
import type { FoundNamespace } from '../../../../../helper/discover/namespaces.js';
import { derivePortMappings } from '../../../../../helper/discover/port-mappings.js';
import { parseDockerProxy } from '../../../../../helper/discover/runtimes/docker-proxy.js';
import { applyContainers, mergeProxyMappings, placeNetworks } from '../../../../../helper/discover/runtimes/join.js';
import { fixtureText } from './docker-fixtures.js';

const HOST = 'ns:1';
const WEB = 'ns:2';
const iface = (ns: string, ifindex: number, name: string, kind: Interface['kind'], addresses: string[]): Interface => ({
  id: `${ns}/${ifindex}`,
  ns,
  ifindex,
  name,
  kind,
  mac: null,
  mtu: 1500,
  up: true,
  operstate: 'UP',
  addresses,
  master: null,
  peer: null,
  stats: null,
});
const interfaces = [iface(HOST, 3, 'docker0', 'bridge', ['172.17.0.1/16']), iface(WEB, 2, 'eth0', 'veth', ['172.17.0.2/16'])];
const found = (inode: number, kind: FoundNamespace['kind']): FoundNamespace => ({
  target: { id: `ns:${inode}`, path: `/proc/${inode}/ns/net`, name: null, own: kind === 'host' },
  inode,
  name: kind === 'named' ? 'blue' : null,
  kind,
  pids: [inode * 10],
  processes: [],
  container: null,
});

describe('joining runtime answers with the kernel', () => {
  const recorded = parseIptablesSave(fixtureText('iptables-save.txt'), HOST);
  const dnat = derivePortMappings({ namespaces: [], interfaces, rules: recorded.rules, routes: [] });
  const proxies = [1, 2].map((n) => parseDockerProxy(fixtureText(`docker-proxy-${n}.cmdline`), 900 + n, HOST)!);

  it('docker-proxy confirms Docker\'s DNAT mapping and adds the IPv6 listener', () => {
    expect(dnat).toHaveLength(1);
    const merged = mergeProxyMappings(dnat, proxies, interfaces, []);
    expect(merged).toEqual([
      { ...dnat[0], localAccess: true, proxyPids: [901] },
      {
        ns: HOST,
        proto: 'tcp',
        hostIp: '::',
        hostPort: 18080,
        targetIp: '172.17.0.2',
        targetPort: 80,
        targetInterface: `${WEB}/2`,
        chains: [],
        localAccess: true,
        owner: 'docker',
        proxyPids: [902],
      },
    ]);
    expect(merged[0]).toMatchObject({ hostIp: '0.0.0.0', hostPort: 18080, targetInterface: `${WEB}/2`, chains: ['PREROUTING', 'OUTPUT', 'DOCKER'], owner: 'docker' });
  });

  it('a proxy without DNAT (userland proxy only) is a mapping of its own; no proxies changes nothing', () => {
    expect(mergeProxyMappings([], proxies.slice(0, 1), interfaces, [])).toMatchObject([{ hostIp: '0.0.0.0', chains: [], localAccess: true, owner: 'docker' }]);
    expect(mergeProxyMappings(dnat, [], interfaces, [])).toBe(dnat);
  });

  it('names container namespaces but never the host; a named namespace keeps its kind', () => {
    const info = { runtime: 'docker', id: 'x', name: 'web' };
    const out = applyContainers([found(1, 'host'), found(2, 'process'), found(3, 'named')], new Map([[1, info], [2, info], [3, info]]));
    expect(out.map((f) => [f.kind, f.container?.name ?? null])).toEqual([
      ['host', null],
      ['container', 'web'],
      ['named', 'web'],
    ]);
  });

  it('places a network on its bridge and takes the gateway and subnet from the bridge when the runtime named none', () => {
    const seed = { runtime: 'lxc', name: 'lxcbr0', id: 'lxcbr0', driver: 'bridge', bridgeName: 'docker0', subnet: null, gateway: null, options: {}, explanation: [] };
    expect(placeNetworks([seed], HOST, interfaces)).toEqual([{ ...seed, bridge: `${HOST}/3`, gateway: '172.17.0.1', subnet: '172.17.0.0/16' }]);
    expect(placeNetworks([{ ...seed, bridgeName: 'gone0' }], HOST, interfaces)[0]).toMatchObject({ bridge: null, gateway: null, subnet: null });
  });
});

describe('Docker\'s chains explained', () => {
  it('a sentence for each of Docker\'s chains in the recorded rules, none for the built-in ones', async () => {
    const { explainChains } = await import('../../../../../helper/discover/runtimes/chain-explanations.js');
    const chains = explainChains(parseIptablesSave(fixtureText('iptables-save.txt'), HOST).chains);
    const said = Object.fromEntries(chains.filter((c) => c.explanation !== undefined).map((c) => [`${c.table} ${c.chain}`, c.explanation]));
    expect(Object.keys(said).sort()).toEqual([
      'filter DOCKER',
      'filter DOCKER-ISOLATION-STAGE-1',
      'filter DOCKER-ISOLATION-STAGE-2',
      'filter DOCKER-USER',
      'nat DOCKER',
    ]);
    expect(said['filter DOCKER-ISOLATION-STAGE-2']).toMatch(/Docker networks cannot reach each other/);
    expect(chains.find((c) => c.chain === 'FORWARD')?.explanation).toBeUndefined();
  });
});
