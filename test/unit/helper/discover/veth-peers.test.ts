import { describe, expect, it } from 'vitest';
import { resolveVethPeers, type NsLinks } from '../../../../helper/discover/veth-peers.js';
import type { ParsedLink } from '../../../../helper/discover/ip-link.js';
import { loadCase, type IpCase } from './ip-fixtures.js';

const spacesOf = (c: IpCase, withTables = true): NsLinks[] =>
  c.states.map((s) => ({ id: s.id, links: s.links, nsids: withTables ? (s.nsids ?? new Map()) : new Map() }));

const names = (c: IpCase) => new Map(c.found.flatMap((f) => (f.name ? [[f.name, f.target.id] as const] : [])));
const iface = (c: IpCase, label: string, name: string): string => {
  const s = c.states.find((x) => x.id === c.ns[label])!;
  const l = s.links.find((x) => x.name === name);
  if (!l) throw new Error(`${label} has no ${name}`);
  return `${s.id}/${l.ifindex}`;
};

describe('veth peers (real fixtures)', () => {
  it('bridge lab: host ends pair with the eth0 inside each named namespace, and a same-namespace pair by name', () => {
    const c = loadCase('bridge-lab');
    const { peers } = resolveVethPeers(spacesOf(c), names(c));
    expect(peers.get(iface(c, 'host', 'veth1'))).toBe(iface(c, 'ns1', 'eth0'));
    expect(peers.get(iface(c, 'ns2', 'eth0'))).toBe(iface(c, 'host', 'veth2'));
    expect(peers.get(iface(c, 'host', 'eth0'))).toBe(iface(c, 'host', 'eth0-far'));
    expect(peers.get(iface(c, 'host', 'eth0-far'))).toBe(iface(c, 'host', 'eth0'));
  });

  it('repeated ifindexes, named and unnamed namespaces: every pair right', () => {
    const c = loadCase('repeated-ifindex');
    const { peers } = resolveVethPeers(spacesOf(c), names(c));
    const pairs: [string, string, string, string][] = [
      ['host', 'h-pa', 'pa', 'eth0'],
      ['host', 'h-pb', 'pb', 'eth0'],
      ['host', 'h-u1', 'u1', 'eth0'], // unnamed: the host's nsid 2 has no name
      ['u1', 'x-u1', 'u2', 'x-u2'], // both unnamed
      ['pa', 'pa-u2', 'u2', 'u2-pa'], // named ↔ unnamed
      ['pc', 'vc', 'pd', 'vd'], // both ends ifindex 2 with link_index 2
    ];
    for (const [a, an, b, bn] of pairs) {
      expect(peers.get(iface(c, a, an)), `${a}/${an}`).toBe(iface(c, b, bn));
      expect(peers.get(iface(c, b, bn)), `${b}/${bn}`).toBe(iface(c, a, an));
    }
    // All 12 veth ends resolved, none twice.
    expect(peers.size).toBe(12);
    expect(new Set(peers.values()).size).toBe(12);
  });

  it('without any nsid table (list-id not asked), mutual matching alone still pairs every end right', () => {
    const c = loadCase('repeated-ifindex');
    const { peers } = resolveVethPeers(spacesOf(c, false), names(c));
    const withTables = resolveVethPeers(spacesOf(c), names(c)).peers;
    expect([...peers].sort()).toEqual([...withTables].sort());
  });

  it('two unnamed pairs whose four ends all look alike stay unresolved rather than guessed', () => {
    const c = loadCase('ambiguous');
    const { peers } = resolveVethPeers(spacesOf(c), names(c));
    expect(peers.size).toBe(0);
  });
});

const veth = (ifindex: number, linkIndex: number, nsid: number): ParsedLink => ({
  ifindex,
  name: `v${ifindex}`,
  kind: 'veth',
  linkKind: 'veth',
  mac: null,
  mtu: 1500,
  up: true,
  operstate: 'UP',
  flags: [],
  addresses: [],
  stats: null,
  masterName: null,
  linkIndex,
  linkNetnsid: nsid,
  linkName: null,
  vlanId: null,
  tunnel: null,
});

describe('veth peers: learned nsid consistency', () => {
  it('an nsid resolved by one unique pair disambiguates another pair through the same nsid', () => {
    // A has two veths toward B (nsid 0 in A): 5↔7 (unique) and 2↔2; C also has a 2↔2 pair with D.
    // Alone, A/2 could pair with B/2, C/2 or D/2; once A's nsid 0 is known to be B, only B/2 fits.
    const spaces: NsLinks[] = [
      { id: 'ns:A', links: [veth(5, 7, 0), veth(2, 2, 0)], nsids: new Map([[0, null]]) },
      { id: 'ns:B', links: [veth(7, 5, 4), veth(2, 2, 4)], nsids: new Map([[4, null]]) },
      { id: 'ns:C', links: [veth(2, 2, 1)], nsids: new Map([[1, null]]) },
      { id: 'ns:D', links: [veth(2, 2, 0)], nsids: new Map([[0, null]]) },
    ];
    const { peers, nsidMap } = resolveVethPeers(spaces, new Map());
    expect(peers.get('ns:A/5')).toBe('ns:B/7');
    expect(peers.get('ns:A/2')).toBe('ns:B/2');
    expect(peers.get('ns:B/2')).toBe('ns:A/2');
    // Then C/2 and D/2 are the only ones left and pair with each other.
    expect(peers.get('ns:C/2')).toBe('ns:D/2');
    expect(nsidMap.get('ns:A')?.get(0)).toBe('ns:B');
  });

  it('a named nsid is followed directly, even if another namespace has a lookalike end', () => {
    const spaces: NsLinks[] = [
      { id: 'ns:A', links: [veth(2, 2, 0)], nsids: new Map([[0, 'b']]) },
      { id: 'ns:B', links: [veth(2, 2, 3)], nsids: new Map([[3, null]]) },
      { id: 'ns:C', links: [veth(2, 2, 0)], nsids: new Map() },
    ];
    const { peers } = resolveVethPeers(spaces, new Map([['b', 'ns:B']]));
    expect(peers.get('ns:A/2')).toBe('ns:B/2');
    expect(peers.has('ns:C/2')).toBe(false);
  });

  it('a peer in a namespace we cannot see is null, not a neighbour with the same ifindex', () => {
    const spaces: NsLinks[] = [{ id: 'ns:A', links: [veth(2, 9, 0), veth(9, 2, 1)], nsids: new Map() }];
    expect(resolveVethPeers(spaces, new Map()).peers.size).toBe(0);
  });
});
