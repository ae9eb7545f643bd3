import { describe, expect, it } from 'vitest';
import { describeIntent } from '../../../../renderer/src/control/describe-intent.js';

describe('describeIntent', () => {
  it('says what was asked for, in words, with the namespace when not the host', () => {
    expect(describeIntent({ op: 'link.set', name: 'lo', ns: 'ns1', up: true })).toBe('Bring lo up in ns1');
    expect(describeIntent({ op: 'link.set', name: 'veth0', master: 'br0' })).toBe('Plug veth0 into br0');
    expect(describeIntent({ op: 'link.set', name: 'veth0', master: null, mtu: 1400 })).toBe('Unplug veth0 from its bridge, set the MTU of veth0 to 1400');
    expect(describeIntent({ op: 'link.set', name: 'veth0', rename: 'uplink' })).toBe('Rename veth0 to uplink');
    expect(describeIntent({ op: 'portmap.add', proto: 'udp', hostPort: 8000, hostPortEnd: 8010, targetIp: '10.0.0.2', targetPort: 9000 })).toBe('Map udp *:8000-8010 → 10.0.0.2:9000');
    expect(describeIntent({ op: 'veth.create', a: { name: 'v0' }, b: { name: 'eth0', ns: 'lab' } })).toBe('Create veth pair v0 (host) ↔ eth0 (lab)');
    expect(describeIntent({ op: 'route.add', dst: 'default', via: '10.0.0.1', ns: 'lab' })).toBe('Add route default via 10.0.0.1 in lab');
    expect(describeIntent({ op: 'portmap.add', proto: 'tcp', hostPort: 8080, targetIp: '10.0.0.2', targetPort: 80, localAccess: false })).toBe('Map tcp *:8080 → 10.0.0.2:80 (not from this host)');
  });
});
