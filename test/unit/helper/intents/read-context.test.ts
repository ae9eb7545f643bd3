import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseIntents } from '../../../../protocol/src/index.js';
import { compile } from '../../../../helper/intents/compile.js';
import { freshIptables } from '../../../../helper/intents/context.js';
import { linksOf } from '../../../../helper/intents/read-context.js';

const json = readFileSync(new URL('../../../fixtures/intents/ip-json-details-addr.json', import.meta.url), 'utf8');

describe('linksOf (real ip -json -details addr)', () => {
  it('reads kind, up, mtu, master, addresses and hairpin', () => {
    const links = linksOf(json);
    expect(links.map((l) => l.name)).toEqual(['lo', 'testbridge', 'veth1', 'veth1-br']);
    expect(links.find((l) => l.name === 'testbridge')).toMatchObject({ kind: 'bridge', up: true, master: null, addresses: ['10.0.0.1/24', expect.stringMatching(/^fe80::/)] });
    expect(links.find((l) => l.name === 'veth1-br')).toMatchObject({ kind: 'veth', up: true, master: 'testbridge', hairpin: true });
    expect(links.find((l) => l.name === 'veth1')).toMatchObject({ kind: 'veth', up: false, master: null, hairpin: null });
    expect(links.find((l) => l.name === 'lo')).toMatchObject({ kind: null, mtu: 65536, addresses: ['127.0.0.1/8', '::1/128'] });
  });
});

describe('hairpin for a port mapping behind a bridge', () => {
  const host = (hairpin: boolean) => {
    const links = linksOf(json).map((l) => (l.name === 'veth1-br' ? { ...l, hairpin } : l));
    return { namespaces: [{ target: { id: 'ns:1', path: '/proc/self/ns/net', name: null, own: true }, links, ipForward: true, routeLocalnet: false, iptables: freshIptables() }] };
  };
  const map = parseIntents([{ op: 'portmap.add', proto: 'tcp', hostPort: 8080, targetIp: '10.0.0.2', targetPort: 80 }]);

  it('turns hairpin on for the ports of the bridge whose subnet holds the target, and off again on undo', () => {
    const p = compile(map, host(false), { newId: () => 'aaaaaaaa' });
    expect(p.steps[0]?.run.argv).toEqual(['ip', 'link', 'set', 'dev', 'veth1-br', 'type', 'bridge_slave', 'hairpin', 'on']);
    expect(p.steps[0]?.undo?.argv).toEqual(['ip', 'link', 'set', 'dev', 'veth1-br', 'type', 'bridge_slave', 'hairpin', 'off']);
    expect(p.notes.join(' ')).toContain('hairpin mode on for bridge port veth1-br');
  });

  it('leaves ports alone that already have it, and bridges of other subnets', () => {
    // (The sysctl: 127.0.0.1 reaching the target through testbridge, localnet.test.ts.)
    expect(compile(map, host(true), { newId: () => 'aaaaaaaa' }).steps.map((s) => s.kind)).toEqual(['iptables', 'iptables', 'sysctl']);
    const elsewhere = parseIntents([{ op: 'portmap.add', proto: 'tcp', hostPort: 8080, targetIp: '172.17.0.2', targetPort: 80 }]);
    expect(compile(elsewhere, host(false), { newId: () => 'aaaaaaaa' }).steps.map((s) => s.kind)).toEqual(['iptables', 'iptables']);
  });
});
