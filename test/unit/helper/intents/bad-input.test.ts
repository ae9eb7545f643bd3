import { describe, expect, it } from 'vitest';
import { isCidr, parseIntents } from '../../../../protocol/src/index.js';
import { applyIntents, planIntents } from '../../../../helper/intents/run-intents.js';
import { recordingExec } from './fake-exec.js';

const bridge = (name: unknown) => ({ op: 'bridge.create', name });
const portmap = (over: Record<string, unknown>) => ({ op: 'portmap.add', proto: 'tcp', hostPort: 8080, targetIp: '10.0.0.2', targetPort: 80, ...over });

/** [what, input, field path named in the error] */
const BAD: [string, unknown, string][] = [
  ['a name with ;', [bridge('br0;reboot')], 'intents.0.name'],
  ['a name with $(…)', [bridge('$(id)')], 'intents.0.name'],
  ['a name with a backtick', [bridge('a`id`')], 'intents.0.name'],
  ['a name with a space', [bridge('br 0')], 'intents.0.name'],
  ['a name with a newline', [bridge('br\n0')], 'intents.0.name'],
  ['a name with a NUL', [bridge('br\u00000')], 'intents.0.name'],
  ['a 16-character name', [bridge('abcdefghijklmnop')], 'intents.0.name'],
  ['a name with /', [bridge('a/b')], 'intents.0.name'],
  ['a name that is an option', [bridge('-n')], 'intents.0.name'],
  ['the name ..', [bridge('..')], 'intents.0.name'],
  ['an empty name', [bridge('')], 'intents.0.name'],
  ['a namespace named ..', [{ op: 'netns.create', name: '..' }], 'intents.0.name'],
  ['a namespace with ;', [{ op: 'bridge.create', name: 'b', ns: 'x;y' }], 'intents.0.ns'],
  ['a veth end with $(…)', [{ op: 'veth.create', a: { name: 'a' }, b: { name: '$(x)' } }], 'intents.0.b.name'],
  ['an octet over 255', [{ op: 'addr.add', dev: 'eth0', cidr: '10.0.0.256/24' }], 'intents.0.cidr'],
  ['a prefix over 32', [{ op: 'addr.add', dev: 'eth0', cidr: '10.0.0.1/33' }], 'intents.0.cidr'],
  ['a CIDR without prefix', [{ op: 'addr.add', dev: 'eth0', cidr: '10.0.0.1' }], 'intents.0.cidr'],
  ['an IPv6 prefix over 128', [{ op: 'addr.add', dev: 'eth0', cidr: 'fd00::1/129' }], 'intents.0.cidr'],
  ['a masquerade source out of range', [{ op: 'nat.masquerade.add', source: '300.0.0.0/8' }], 'intents.0.source'],
  ['an IPv6 masquerade (iptables is IPv4)', [{ op: 'nat.masquerade.add', source: 'fd00::/64' }], 'intents.0.source'],
  ['a route via garbage', [{ op: 'route.add', dst: 'default', via: '10.0.0' }], 'intents.0.via'],
  ['a route with neither via nor dev', [{ op: 'route.add', dst: 'default' }], 'intents.0.via'],
  ['host port 0', [portmap({ hostPort: 0 })], 'intents.0.hostPort'],
  ['host port 65536', [portmap({ hostPort: 65536 })], 'intents.0.hostPort'],
  ['a host port range that runs backwards', [portmap({ hostPort: 8080, hostPortEnd: 8000 })], 'intents.0.hostPortEnd'],
  ['a host port range wider than 1024', [portmap({ hostPort: 2000, hostPortEnd: 4000 })], 'intents.0.hostPortEnd'],
  ['a range running past target port 65535', [portmap({ hostPort: 8000, hostPortEnd: 8010, targetPort: 65530 })], 'intents.0.targetPort'],
  ['target port 0', [portmap({ targetPort: 0 })], 'intents.0.targetPort'],
  ['a fractional port', [portmap({ hostPort: 80.5 })], 'intents.0.hostPort'],
  ['a port as a string', [portmap({ hostPort: '8080' })], 'intents.0.hostPort'],
  ['proto icmp', [portmap({ proto: 'icmp' })], 'intents.0.proto'],
  ['a target that is not an address', [portmap({ targetIp: '10.0.0.2; rm -rf /' })], 'intents.0.targetIp'],
  ['an unknown op', [{ op: 'system.reboot' }], 'intents.0.op'],
  ['a missing op', [{ name: 'x' }], 'intents.0.op'],
  ['an unknown field', [{ op: 'bridge.create', name: 'b', argv: ['rm'] }], 'intents.0.argv'],
  ['a number for a name', [bridge(7)], 'intents.0.name'],
  ['forwarding as a string', [{ op: 'forwarding.set', enabled: 'yes' }], 'intents.0.enabled'],
  ['mtu too small', [{ op: 'link.set', name: 'eth0', mtu: 10 }], 'intents.0.mtu'],
  ['a rule id that is not ours', [{ op: 'rule.remove', id: 'DOCKER' }], 'intents.0.id'],
  ['the second of two intents', { intents: [bridge('ok'), bridge('not ok')] }, 'intents.1.name'],
  ['an empty list', [], 'intents'],
];

describe('bad input is refused with the field named, and nothing runs', () => {
  it.each(BAD)('%s', async (_what, input, path) => {
    const { exec, calls } = recordingExec();
    const err = await applyIntents(exec, input).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ code: 'invalid', path });
    expect((err as Error).message).toContain(`"${path}"`);
    expect(calls).toEqual([]);
    await expect(planIntents(exec, input)).rejects.toMatchObject({ code: 'invalid', path });
    expect(calls).toEqual([]);
  });

  it('a document that is not an object or array is refused', () => {
    expect(() => parseIntents('bridge.create br0')).toThrow(expect.objectContaining({ code: 'invalid' }));
    expect(() => parseIntents({ intent: [] })).toThrow(expect.objectContaining({ code: 'invalid' }));
  });
});

describe('good input', () => {
  it('a bare array and {"intents": […]} are the same', () => {
    const list = [bridge('br-lab_1.2'), { op: 'netns.create', name: 'lab-ns_1' }];
    expect(parseIntents(list)).toEqual(parseIntents({ intents: list }));
  });

  it('CIDRs: IPv4 and IPv6 forms', () => {
    for (const ok of ['0.0.0.0/0', '10.0.0.1/24', '255.255.255.255/32', '::/0', 'fd00::1/64', '2001:db8:0:0:0:0:0:1/128', '::ffff:10.0.0.1/128']) expect(isCidr(ok)).toBe(true);
    for (const bad of ['10.0.0/24', '10.0.0.01/24', '10.0.0.1/', '10.0.0.1/024', '1:2:3:4:5:6:7:8:9/64', 'fd00:::1/64', 'g::1/64', '10.0.0.1/24/1']) expect(isCidr(bad)).toBe(false);
  });
});
