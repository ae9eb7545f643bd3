import { describe, expect, it } from 'vitest';
import { interfaceKind } from '../../../../helper/discover/ip-link.js';
import { loadCase } from './ip-fixtures.js';

describe('ip link parsing (real iproute2 6.1 output)', () => {
  const lab = loadCase('bridge-lab');
  const host = lab.states[0]!;
  const byName = (n: string) => host.links.find((l) => l.name === n);

  it('maps the kernel kinds onto the snapshot families and keeps the raw kind', () => {
    expect(byName('lo')?.kind).toBe('loopback');
    expect(byName('br3')?.kind).toBe('bridge');
    expect(byName('veth1')?.kind).toBe('veth');
    expect(byName('mv0')).toMatchObject({ kind: 'macvlan', linkKind: 'macvlan' });
    expect(byName('vx0')).toMatchObject({ kind: 'vxlan', linkName: 'eth0' });
    expect(byName('tap0')).toMatchObject({ kind: 'tun', linkKind: 'tun' });
  });

  it('reads addresses (v4 and v6) as CIDRs, state, mtu, mac and stats', () => {
    const br = byName('br3')!;
    expect(br.addresses).toContain('170.19.0.3/24');
    expect(br.addresses).toContain('fd00:170::3/64');
    expect(br.up).toBe(true);
    expect(br.mtu).toBe(1500);
    expect(br.mac).toMatch(/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/);
    expect(br.stats).toMatchObject({ rxBytes: expect.any(Number), txPackets: expect.any(Number) });
    expect(byName('lo')!.mac).toBeNull();
  });

  it('keeps the kernel references: master by name, link_index + link_netnsid for a peer elsewhere', () => {
    expect(byName('veth1')).toMatchObject({ masterName: 'br3', linkIndex: 2, linkNetnsid: 0 });
    expect(byName('eth0')).toMatchObject({ linkName: 'eth0-far', linkIndex: null, linkNetnsid: null });
  });

  it('a link without linkinfo is a device when ether, other otherwise', () => {
    expect(interfaceKind('ether', undefined)).toBe('device');
    expect(interfaceKind('none', undefined)).toBe('other');
    expect(interfaceKind('ether', 'wireguard')).toBe('other');
    expect(interfaceKind('ether', 'macvtap')).toBe('macvlan');
    expect(interfaceKind('ether', 'ipvlan')).toBe('macvlan');
  });
});
