import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseLinks } from '../../../../helper/discover/ip-link.js';
import { parseWgDevices, parseWgDump, withDump } from '../../../../helper/discover/read-wireguard.js';
import type { NamespaceState } from '../../../../helper/discover/read-namespace.js';
import { tunnelFromIpJson } from '../../../../helper/discover/tunnel-info.js';
import { tunnelOf } from '../../../../helper/discover/tunnel-of.js';
import { checkArgvShape } from '../../../../helper/exec-argv.js';
import { PROGRAMS } from '../../../../helper/exec.js';
import { mergeSnapshots, type HostPicture } from '../../../../protocol/src/merge-snapshots.js';
import { Snapshot, type Interface } from '../../../../protocol/src/snapshot.js';

// WireGuard peers (issue 14 item 3). The kernel's WireGuard is NOT seen here (this machine has no WireGuard
// module): its dump is real output from another project's test; wireguard-go's was recorded here (test/fixtures/wireguard/README).
const dump = readFileSync(join(__dirname, '../../../fixtures/wireguard/wg-show-all-dump.txt'), 'utf8');
const tunnels = (f: string): Snapshot => Snapshot.parse(JSON.parse(readFileSync(join(__dirname, '../../../fixtures/tunnels', f), 'utf8')));

describe('wg show all dump', () => {
  const peers = parseWgDump(dump);

  it('every peer of wg0: endpoint, allowed IPs, latest handshake (null: never)', () => {
    expect(peers).toHaveLength(5);
    expect(peers[0]).toEqual({ dev: 'wg0', publicKey: '2S7mA0vEMethCNQrJpJKE81/JmhgtB+tHHLYQhgM6kk=', endpoint: '37.159.76.245:29159', allowedIps: ['10.70.0.2/32', '10.70.0.66/32'], latestHandshake: 1555771458 });
    expect(peers[1]).toEqual({ dev: 'wg0', publicKey: 'qnoxQoQI8KKMupLnSSureORV0wMmH7JryZNsmGVISzU=', endpoint: null, allowedIps: ['10.70.0.3/32'], latestHandshake: null });
    expect(peers[4]).toMatchObject({ endpoint: '5.90.62.106:21741', latestHandshake: 1555344925 });
  });

  it('keeps no secret: the device line (its private key) and preshared keys are never in what it returns', () => {
    const privateKey = dump.split('\n')[0]?.split('\t')[1] ?? '';
    expect(privateKey).not.toBe('');
    expect(JSON.stringify(peers)).not.toContain(privateKey);
    expect(JSON.stringify(peers)).not.toContain('(none)');
    expect(parseWgDump('')).toEqual([]);
    expect(parseWgDump('not a dump\n')).toEqual([]);
  });

  it('the root helper runs `wg show all dump` and nothing else of wg', () => {
    const allowed = new Set<string>(PROGRAMS);
    expect(() => checkArgvShape(['wg', 'show', 'all', 'dump'], undefined, allowed)).not.toThrow();
    expect(() => checkArgvShape(['nsenter', '--net=/run/netns/a', '--', 'wg', 'show', 'all', 'dump'], undefined, allowed)).not.toThrow();
    expect(() => checkArgvShape(['wg', 'set', 'wg0', 'peer', 'x', 'remove'], undefined, allowed)).toThrow(/wg other than/);
    expect(() => checkArgvShape(['wg', 'showconf', 'wg0'], undefined, allowed)).toThrow(/wg other than/);
    expect(() => checkArgvShape(['wg', 'show', 'all', 'private-key'], undefined, allowed)).toThrow(/wg other than/);
  });
});

describe('WireGuard peers as tunnel edges', () => {
  // A WireGuard device: `u0` of the tunnels fixture's links, as ip would report a wireguard kind.
  const u0 = parseLinks(JSON.parse(readFileSync(join(__dirname, '../../../fixtures/tunnels/ip-addr.json'), 'utf8'))).find((l) => l.name === 'u0');
  if (!u0) throw new Error('fixture has no u0');
  const wgLink = { ...u0, name: 'wg0', linkKind: 'wireguard', tunnel: tunnelFromIpJson('wireguard', undefined) };
  const tunnel = tunnelOf(wgLink, undefined, parseWgDump(dump), null);

  it('the device\'s tunnel carries its peers (no keys but the public ones)', () => {
    expect(tunnel?.type).toBe('wireguard');
    expect(tunnel?.peers?.map((p) => p.endpoint)).toEqual(['37.159.76.245:29159', null, null, null, '5.90.62.106:21741']);
    expect(tunnelOf(wgLink, undefined, undefined, null)?.peers).toBeUndefined();
  });

  it('each endpoint → the host holding that address (its WireGuard device), else "remote ADDRESS"', () => {
    const a = tunnels('host-a.snapshot.json');
    const b = tunnels('host-b.snapshot.json');
    const hostNs = (s: Snapshot) => s.namespaces.find((n) => n.kind === 'host')?.id ?? '';
    const wg = (s: Snapshot, ifindex: number, t: Interface['tunnel']): Interface => ({ id: `${hostNs(s)}/${ifindex}`, ns: hostNs(s), ifindex, name: 'wg0', kind: 'other', mac: null, mtu: 1420, up: true, operstate: 'UNKNOWN', addresses: [], master: null, peer: null, stats: null, tunnel: t } as unknown as Interface);
    // Host b holds the first peer's endpoint on its uplink (as that server's peer would) and has a WireGuard device of its own.
    const bEth = b.interfaces.find((i) => i.ns === hostNs(b) && i.name === 'eth0');
    if (!bEth) throw new Error('host b has no eth0');
    const b2: Snapshot = { ...b, interfaces: [...b.interfaces.map((i) => (i === bEth ? { ...i, addresses: [...i.addresses, '37.159.76.245/32'] } : i)), wg(b, 90, { type: 'wireguard', vni: null, local: null, remote: null, group: null, dstPort: null, peers: [] })] };
    const a2: Snapshot = { ...a, interfaces: [...a.interfaces, wg(a, 90, tunnel)] };
    const entry = (name: string): HostPicture['entry'] => ({ name, local: false, destination: `root@${name}`, hostname: name, kernel: null, state: 'live', error: null, takenAt: null });
    const merged = mergeSnapshots([
      { entry: entry('hosta'), snapshot: a2 },
      { entry: entry('hostb'), snapshot: b2 },
    ]);
    const edges = (merged.tunnels ?? []).filter((t) => t.type === 'wireguard').map((t) => [t.a, t.b, t.remote]);
    const aWg = `host:hosta/${hostNs(a)}/90`;
    expect(edges).toContainEqual([aWg, `host:hostb/${hostNs(b)}/90`, '37.159.76.245']);
    expect(edges).toContainEqual([aWg, null, '5.90.62.106']);
    expect(edges).toHaveLength(2);
  });
});

describe('userspace WireGuard (wireguard-go: a tun device wg answers for)', () => {
  const fixture = (f: string) => readFileSync(join(__dirname, '../../../fixtures/wireguard', f), 'utf8');
  const goDump = fixture('wireguard-go-dump.txt');
  const links = parseLinks(JSON.parse(fixture('wireguard-go-ip-addr.json')));
  const state = { id: 'ns:a', links, routes: [], ipForward: null, nsids: null, firewall: null, firewallHints: {}, ipRules: null, sysctls: null, error: null } as unknown as NamespaceState;

  it('ip calls it a tun; with wg\'s dump it is WireGuard with its peer', () => {
    expect(links.find((l) => l.name === 'wga')?.linkKind).toBe('tun');
    const s = withDump(state, goDump);
    const wga = s.links.find((l) => l.name === 'wga');
    expect(wga?.tunnel?.type).toBe('wireguard');
    const tunnel = wga ? tunnelOf(wga, undefined, s.wgPeers, null) : undefined;
    expect(tunnel?.peers).toEqual([{ publicKey: 'ijbQv8HsV3SWE0kvgmAUFTYDDSzEcQhKB9DgGjtlzB4=', endpoint: '192.0.2.2:51820', allowedIps: ['10.9.0.2/32', '10.9.1.0/24'], latestHandshake: 1796526164 }]);
  });

  it('wgb answers on the same /run but lives in another network namespace: not this one\'s', () => {
    expect(parseWgDevices(goDump)).toEqual(new Set(['wga', 'wgb']));
    const s = withDump(state, goDump);
    expect(s.wgPeers?.map((p) => p.dev)).toEqual(['wga']);
    expect(s.links.filter((l) => l.tunnel !== null).map((l) => l.name)).toEqual(['wga']);
  });

  it('a tun wg does not answer for (a VPN of another kind) stays a plain tun', () => {
    const s = withDump(state, '');
    expect(s.links.find((l) => l.name === 'wga')?.tunnel).toBeNull();
    expect(s.wgPeers).toEqual([]);
  });

  it('keeps neither private key', () => {
    const privates = goDump.split('\n').map((l) => l.split('\t')).filter((f) => f.length === 5).map((f) => f[1] ?? '');
    expect(privates).toHaveLength(2);
    const out = JSON.stringify({ ...withDump(state, goDump), nsids: null });
    for (const k of privates) expect(out).not.toContain(k);
  });
});
