import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseIpBatch } from '../../../../helper/discover/ip-batch.js';
import { firewallHints, hasFirewallTables, stateFromDump } from '../../../../helper/discover/netlink/dump-state.js';
import { parseIpRules } from '../../../../helper/discover/ip-rules.js';
import { ipv6Text } from '../../../../helper/discover/netlink/inet-text.js';
import { flagNames } from '../../../../helper/discover/netlink/link.js';
import { splitRecords, type NsDump } from '../../../../helper/discover/netlink/records.js';
import { builtInNames, parseNameFile } from '../../../../helper/discover/netlink/rt-names.js';

// Recorded by test/fixtures/netlink/record.sh: netloom-nsread's output and ip's JSON for one lab.
const dir = join(__dirname, '../../../fixtures/netlink');
const dumps = splitRecords(readFileSync(join(dir, 'lab.nsread')));
const ipOf = (name: string) => parseIpBatch(readFileSync(join(dir, `lab-${name}.ip.json`), 'utf8'));
const dumpOf = (path: string): NsDump => dumps.find((d) => d.path === path)!;
const withoutCounters = <T extends { stats: unknown }>(links: T[]) => links.map((l) => ({ ...l, stats: l.stats === null ? null : 'present' }));

describe('netloom-nsread output', () => {
  it('holds one dump per namespace, named by the path it opened and its inode', () => {
    expect(dumps.map((d) => d.path)).toEqual(['/proc/self/ns/net', '/run/netns/a']);
    for (const d of dumps) {
      expect(d.inode).toBeGreaterThan(0);
      expect(d.errors).toEqual([]);
    }
  });

  for (const [name, path] of [
    ['host', '/proc/self/ns/net'],
    ['a', '/run/netns/a'],
  ] as const) {
    it(`decodes ${name} to what ip printed: links, addresses, routes, forwarding`, () => {
      const ip = ipOf(name);
      const s = stateFromDump('ns:1', dumpOf(path), builtInNames());
      expect(s.error).toBeNull();
      expect(withoutCounters(s.links)).toEqual(withoutCounters(ip.links));
      expect(s.routes).toEqual(ip.routes);
      expect(s.ipForward).toBe(ip.ipForward);
      expect(s.links.length).toBeGreaterThan(1);
      const rules = (family: 4 | 6) => parseIpRules(JSON.parse(readFileSync(join(dir, `lab-${name}.rules${family}.json`), 'utf8')), family);
      expect(s.ipRules).toEqual([...rules(4), ...rules(6)]);
    });
  }

  it('the lab’s details are really in it (not two empty lists agreeing)', () => {
    const host = stateFromDump('ns:1', dumpOf('/proc/self/ns/net'), builtInNames());
    const va = host.links.find((l) => l.name === 'va')!;
    expect(va).toMatchObject({ kind: 'veth', masterName: 'br0', linkNetnsid: 0, up: true });
    expect(va.linkIndex).toBeGreaterThan(0);
    expect(host.links.find((l) => l.name === 'vx0')).toMatchObject({ kind: 'vxlan', linkName: 'up0' });
    expect(host.links.find((l) => l.name === 'br0')?.addresses).toEqual(['10.9.0.1/24', 'fd00:9::1/64', expect.stringMatching(/^fe80::/)]);
    expect(host.routes).toContainEqual(expect.objectContaining({ table: '100', dst: '203.0.113.0/24', devName: 'up0' }));
    expect(host.routes).toContainEqual(expect.objectContaining({ dst: '198.51.100.0/24', metric: 50, protocol: 'boot', scope: 'link' }));
    expect(host.routes).toContainEqual(expect.objectContaining({ type: 'unreachable', dst: '2001:db8:1::/48', family: 6 }));
    const a = stateFromDump('ns:2', dumpOf('/run/netns/a'), builtInNames());
    expect(a.routes).toContainEqual(expect.objectContaining({ dst: 'default', gateway: '10.9.0.1', devName: 'eth0', family: 4 }));
  });

  it('policy rules and routing sysctls are really in it', () => {
    const host = stateFromDump('ns:1', dumpOf('/proc/self/ns/net'), builtInNames());
    expect(host.ipRules).toContainEqual(expect.objectContaining({ family: 4, priority: 100, src: '10.9.0.0/24', action: 'lookup', table: '100' }));
    expect(host.ipRules).toContainEqual(
      expect.objectContaining({ priority: 110, dst: '203.0.113.0/24', fwmark: 1, fwmask: 0xff, iif: 'br0', action: 'blackhole', table: null }),
    );
    expect(host.ipRules).toContainEqual(expect.objectContaining({ family: 6, priority: 120, src: 'fd00:9::/64' }));
    expect(host.sysctls?.rpFilter.all).toBe(2);
    const a = stateFromDump('ns:2', dumpOf('/run/netns/a'), builtInNames());
    expect(a.ipRules).toContainEqual(expect.objectContaining({ priority: 50, not: true, src: '10.9.0.2/32', action: 'goto', goto: 32766 }));
    expect(a.sysctls).toMatchObject({ rpFilter: { byIface: { eth0: 1 } }, routeLocalnet: { all: true } });
  });

  it('firewall sources are read only where their tables exist', () => {
    const a = dumpOf('/run/netns/a');
    expect(firewallHints(a)).toEqual({ legacy4: false, legacy6: false, nftTables: [{ family: 'ip', name: 'filter' }] });
    expect(stateFromDump('ns:2', a).firewall).toBeNull(); // to be read
    const none: NsDump = { ...a, nftTables: Buffer.alloc(0), legacyTables: '', legacy6Tables: '' };
    expect(hasFirewallTables(firewallHints(none))).toBe(false);
    expect(stateFromDump('ns:2', none).firewall).toEqual({ saves: [], nftJson: null, unread: [] });
    // Could not ask: run the programs and let them tell.
    expect(hasFirewallTables(firewallHints({ ...none, nftTables: null }))).toBe(true);
    expect(hasFirewallTables(firewallHints({ ...none, legacyTables: 'filter\n' }))).toBe(true);
  });

  it('a namespace the reader could not enter says why', () => {
    const d: NsDump = { ...dumpOf('/run/netns/a'), links: null, errors: [{ step: 'setns', errno: 1 }] };
    const s = stateFromDump('ns:2', d);
    expect(s.links).toEqual([]);
    expect(s.error).toBe('could not read the namespace: setns: EPERM');
  });

  it('a torn stream is refused, not half-read', () => {
    const whole = readFileSync(join(dir, 'lab.nsread'));
    expect(() => splitRecords(whole.subarray(0, whole.length - 3))).toThrow(/ends inside/);
    expect(() => splitRecords(whole.subarray(0, 100))).toThrow(/ends inside/);
  });
});

describe('what ip derives, done the same way', () => {
  it('IPv6 text as inet_ntop writes it', () => {
    const v6 = (hex: string) => ipv6Text(Buffer.from(hex, 'hex'));
    expect(v6('00000000000000000000000000000001')).toBe('::1');
    expect(v6('00000000000000000000000000000000')).toBe('::');
    expect(v6('20010db8000000000000ffff00000001')).toBe('2001:db8::ffff:0:1');
    expect(v6('20010db8000000010000000000000001')).toBe('2001:db8:0:1::1');
    expect(v6('20010db8000000000001000000000000')).toBe('2001:db8:0:0:1::');
    expect(v6('000000000000000000000000c0000207')).toBe('::192.0.2.7');
    expect(v6('fe800000000000000000000000000000')).toBe('fe80::');
    expect(v6('00000000000000000000ffffc0000207')).toBe('::ffff:192.0.2.7');
    expect(v6('20010db8000100020003000400050006')).toBe('2001:db8:1:2:3:4:5:6');
    expect(v6('20010000000100000000000000000001')).toBe('2001:0:1::1');
  });

  it('link flags in ip’s order, NO-CARRIER and M-DOWN', () => {
    expect(flagNames(0x1 | 0x8 | 0x40 | 0x10000, false)).toEqual(['LOOPBACK', 'UP', 'LOWER_UP']);
    expect(flagNames(0x1 | 0x2 | 0x1000, true)).toEqual(['NO-CARRIER', 'BROADCAST', 'MULTICAST', 'UP', 'M-DOWN']);
    expect(flagNames(0x2 | 0x1000 | 0x800 | 0x100000, false)).toEqual(['BROADCAST', 'MULTICAST', 'SLAVE', '100000']);
  });

  it('names from /etc/iproute2 files override the built-in ones', () => {
    const t = parseNameFile('# comment\n100\tweb\n0x65 dmz # trailing\n', builtInNames().tables);
    expect(t.get(100)).toBe('web');
    expect(t.get(101)).toBe('dmz');
    expect(t.get(254)).toBe('main');
  });
});
