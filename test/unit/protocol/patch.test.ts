import { describe, expect, it } from 'vitest';
import { applyPatch, diffSnapshots, isEmptyPatch } from '../../../protocol/src/patch.js';
import type { Interface, Snapshot } from '../../../protocol/src/snapshot.js';
import { Snapshot as SnapshotSchema } from '../../../protocol/src/snapshot.js';

function iface(ns: string, ifindex: number, name: string, extra: Partial<Interface> = {}): Interface {
  return {
    id: `${ns}/${ifindex}`, ns, ifindex, name, kind: 'veth', mac: '02:00:00:00:00:01', mtu: 1500, up: true,
    operstate: 'UP', addresses: [], master: null, peer: null, stats: null, ...extra,
  };
}

function base(): Snapshot {
  return {
    version: 1, takenAt: '2026-11-23T00:00:00.000Z',
    host: { hostname: 'h', kernel: '6.1.0', iptables: 'nft' },
    namespaces: [
      { id: 'ns:1', inode: 1, name: null, kind: 'host', pids: [1], container: null, ipForward: true },
      { id: 'ns:2', inode: 2, name: 'ns1', kind: 'named', pids: [], container: null, ipForward: false },
    ],
    interfaces: [iface('ns:1', 5, 'veth1', { peer: 'ns:2/2' }), iface('ns:2', 2, 'eth0', { peer: 'ns:1/5' })],
    routes: [{ ns: 'ns:2', table: 'main', dst: 'default', gateway: '10.0.0.1', dev: 'ns:2/2', src: null, protocol: null, scope: null, metric: null }],
    rules: [{ ns: 'ns:1', table: 'nat', chain: 'POSTROUTING', spec: '-s 10.0.0.0/24 -j MASQUERADE', owner: 'user', packets: 0, bytes: 0 }],
    portMappings: [],
  };
}

describe('diffSnapshots / applyPatch', () => {
  it('round-trips: applying the diff of two snapshots gives the second', () => {
    const a = base();
    const b = base();
    b.takenAt = '2026-11-23T00:00:01.000Z';
    b.namespaces.push({ id: 'ns:3', inode: 3, name: 'ns2', kind: 'named', pids: [], container: null, ipForward: false });
    b.interfaces.push(iface('ns:3', 2, 'eth0'));
    b.interfaces[0] = { ...b.interfaces[0]!, addresses: ['10.0.0.1/24'] };
    b.routes = [];
    const p = diffSnapshots(a, b);
    expect(p.upsertNamespaces?.map((n) => n.id)).toEqual(['ns:3']);
    expect(p.upsertInterfaces?.map((i) => i.id).sort()).toEqual(['ns:1/5', 'ns:3/2']);
    expect(p.routesByNs).toEqual({ 'ns:2': [] });
    const c = applyPatch(a, p);
    expect(SnapshotSchema.parse(c)).toEqual(c);
    expect(c.interfaces.map((i) => i.id).sort()).toEqual(b.interfaces.map((i) => i.id).sort());
    expect(c.routes).toEqual([]);
    expect(c.interfaces.find((i) => i.id === 'ns:1/5')?.addresses).toEqual(['10.0.0.1/24']);
  });

  it('counters alone are not a change', () => {
    const a = base();
    const b = base();
    b.interfaces[0] = { ...b.interfaces[0]!, stats: { rxBytes: 9, txBytes: 9, rxPackets: 1, txPackets: 1, rxErrors: 0, txErrors: 0, rxDropped: 0, txDropped: 0 } };
    const p = diffSnapshots(a, b);
    expect(isEmptyPatch(p)).toBe(true);
  });

  it('removing a namespace removes its interfaces, routes and rules without listing them', () => {
    const a = base();
    const b = base();
    b.namespaces = b.namespaces.filter((n) => n.id !== 'ns:2');
    b.interfaces = [iface('ns:1', 5, 'veth1')];
    b.routes = [];
    const p = diffSnapshots(a, b);
    expect(p.removeNamespaces).toEqual(['ns:2']);
    expect(p.removeInterfaces).toBeUndefined();
    const c = applyPatch(a, p);
    expect(c.interfaces.map((i) => i.id)).toEqual(['ns:1/5']);
    expect(c.routes).toEqual([]);
  });
});
