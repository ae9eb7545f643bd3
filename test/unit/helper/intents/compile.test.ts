import { describe, expect, it } from 'vitest';
import type { Plan } from '../../../../protocol/src/index.js';
import { parseIntents } from '../../../../protocol/src/index.js';
import { compile } from '../../../../helper/intents/compile.js';
import { contextFixture } from './context-fixture.js';

function plan(intents: unknown[], ctx = contextFixture()): Plan {
  let n = 0;
  return compile(parseIntents(intents), ctx, { newId: () => `feed${String(++n).padStart(4, '0')}` });
}
/** [argv, stdin?] of each step, and of each undo. */
const runs = (p: Plan) => p.steps.map((s) => (s.run.input === undefined ? s.run.argv : [...s.run.argv, s.run.input]));
const undos = (p: Plan) => p.steps.map((s) => (s.undo === null ? null : s.undo.input === undefined ? s.undo.argv : [...s.undo.argv, s.undo.input]));

describe('one intent → the exact commands', () => {
  const cases: [string, unknown, string[], string[] | null][] = [
    ['netns.create', { op: 'netns.create', name: 'green' }, ['ip', 'netns', 'add', 'green'], ['ip', 'netns', 'delete', 'green']],
    ['netns.delete', { op: 'netns.delete', name: 'red' }, ['ip', 'netns', 'delete', 'red'], null],
    ['bridge.create (host)', { op: 'bridge.create', name: 'testbridge' }, ['ip', 'link', 'add', 'testbridge', 'type', 'bridge'], ['ip', 'link', 'delete', 'testbridge']],
    ['bridge.create (named ns)', { op: 'bridge.create', name: 'br1', ns: 'red' }, ['ip', '-n', 'red', 'link', 'add', 'br1', 'type', 'bridge'], ['ip', '-n', 'red', 'link', 'delete', 'br1']],
    ['bridge.create (ns by id, via nsenter)', { op: 'bridge.create', name: 'br1', ns: 'ns:4026532999' }, ['nsenter', '--net=/proc/4242/ns/net', '--', 'ip', 'link', 'add', 'br1', 'type', 'bridge'], ['nsenter', '--net=/proc/4242/ns/net', '--', 'ip', 'link', 'delete', 'br1']],
    ['veth.create host ↔ named', { op: 'veth.create', a: { name: 'v-host' }, b: { name: 'v-red', ns: 'red' } }, ['ip', 'link', 'add', 'v-host', 'type', 'veth', 'peer', 'name', 'v-red', 'netns', 'red'], ['ip', 'link', 'delete', 'v-host']],
    ['veth.create named ↔ host runs in the host', { op: 'veth.create', a: { name: 'v-red', ns: 'red' }, b: { name: 'v-host' } }, ['ip', 'link', 'add', 'v-host', 'type', 'veth', 'peer', 'name', 'v-red', 'netns', 'red'], ['ip', 'link', 'delete', 'v-host']],
    ['veth.create named ↔ process ns (netns PID)', { op: 'veth.create', a: { name: 'a1', ns: 'red' }, b: { name: 'b1', ns: 'ns:4026532999' } }, ['ip', '-n', 'red', 'link', 'add', 'a1', 'type', 'veth', 'peer', 'name', 'b1', 'netns', '4242'], ['ip', '-n', 'red', 'link', 'delete', 'a1']],
    ['link.set up', { op: 'link.set', name: 'veth0', ns: 'red', up: true }, ['ip', '-n', 'red', 'link', 'set', 'dev', 'veth0', 'up'], ['ip', '-n', 'red', 'link', 'set', 'dev', 'veth0', 'down']],
    ['link.set master', { op: 'link.set', name: 'eth0', master: 'br0' }, ['ip', 'link', 'set', 'dev', 'eth0', 'master', 'br0'], ['ip', 'link', 'set', 'dev', 'eth0', 'nomaster']],
    ['link.set mtu', { op: 'link.set', name: 'eth0', mtu: 9000 }, ['ip', 'link', 'set', 'dev', 'eth0', 'mtu', '9000'], ['ip', 'link', 'set', 'dev', 'eth0', 'mtu', '1500']],
    ['link.set rename (down link)', { op: 'link.set', name: 'veth0', ns: 'red', rename: 'web0' }, ['ip', '-n', 'red', 'link', 'set', 'dev', 'veth0', 'name', 'web0'], ['ip', '-n', 'red', 'link', 'set', 'dev', 'web0', 'name', 'veth0']],
    ['link.delete', { op: 'link.delete', name: 'veth0', ns: 'red' }, ['ip', '-n', 'red', 'link', 'delete', 'veth0'], null],
    ['addr.add', { op: 'addr.add', dev: 'veth0', ns: 'red', cidr: '10.0.0.3/24' }, ['ip', '-n', 'red', 'addr', 'add', '10.0.0.3/24', 'dev', 'veth0'], ['ip', '-n', 'red', 'addr', 'del', '10.0.0.3/24', 'dev', 'veth0']],
    ['addr.add IPv6', { op: 'addr.add', dev: 'eth0', cidr: 'fd00::1/64' }, ['ip', 'addr', 'add', 'fd00::1/64', 'dev', 'eth0'], ['ip', 'addr', 'del', 'fd00::1/64', 'dev', 'eth0']],
    ['addr.delete', { op: 'addr.delete', dev: 'veth0', ns: 'red', cidr: '10.0.0.2/24' }, ['ip', '-n', 'red', 'addr', 'del', '10.0.0.2/24', 'dev', 'veth0'], ['ip', '-n', 'red', 'addr', 'add', '10.0.0.2/24', 'dev', 'veth0']],
    ['route.add default', { op: 'route.add', ns: 'red', dst: 'default', via: '10.0.0.1' }, ['ip', '-n', 'red', 'route', 'add', 'default', 'via', '10.0.0.1'], ['ip', '-n', 'red', 'route', 'del', 'default', 'via', '10.0.0.1']],
    ['route.delete', { op: 'route.delete', dst: '198.51.100.0/24', dev: 'eth0' }, ['ip', 'route', 'del', '198.51.100.0/24', 'dev', 'eth0'], ['ip', 'route', 'add', '198.51.100.0/24', 'dev', 'eth0']],
    ['forwarding.set', { op: 'forwarding.set', enabled: true }, ['sysctl', '-w', 'net.ipv4.ip_forward=1'], ['sysctl', '-w', 'net.ipv4.ip_forward=0']],
    ['forwarding.set in a named ns', { op: 'forwarding.set', enabled: false, ns: 'red' }, ['nsenter', '--net=/run/netns/red', '--', 'sysctl', '-w', 'net.ipv4.ip_forward=0'], ['nsenter', '--net=/run/netns/red', '--', 'sysctl', '-w', 'net.ipv4.ip_forward=1']],
  ];
  it.each(cases)('%s', (_name, intent, run, undo) => {
    const p = plan([intent]);
    expect(runs(p)).toEqual([run]);
    expect(undos(p)).toEqual([undo]);
  });

  it('link.set rename of a link that is up: down, rename, up — each undo names the link as it is then called', () => {
    const p = plan([{ op: 'link.set', name: 'eth0', rename: 'uplink0' }]);
    expect(p.steps).toHaveLength(1);
    const step = p.steps[0]!;
    expect(step.lines?.map((l) => [l.line, l.undo])).toEqual([
      ['link set dev eth0 down', 'link set dev eth0 up'],
      ['link set dev eth0 name uplink0', 'link set dev uplink0 name eth0'],
      ['link set dev uplink0 up', 'link set dev uplink0 down'],
    ]);
  });

  it('link.set rename to a name that exists is a conflict naming the field', () => {
    expect(() => plan([{ op: 'link.set', name: 'eth0', rename: 'br0' }])).toThrow(expect.objectContaining({ code: 'conflict', path: 'intents.0.rename' }));
  });

  it('nat.masquerade.add: chain, jump and tagged rule in one restore; the undo removes all three', () => {
    const p = plan([{ op: 'nat.masquerade.add', source: '10.0.0.0/24', notDestination: '10.0.0.0/24', outDev: 'eth0' }]);
    expect(p.ids).toEqual([{ id: 'feed0001', op: 'nat.masquerade.add', intent: 0 }]);
    expect(runs(p)).toEqual([
      [
        'iptables-restore',
        '-w',
        '5',
        '--noflush',
        [
          '*nat',
          ':NETLOOM-POSTROUTING - [0:0]',
          '-I POSTROUTING 1 -m comment --comment netloom -j NETLOOM-POSTROUTING',
          '-A NETLOOM-POSTROUTING -s 10.0.0.0/24 ! -d 10.0.0.0/24 -o eth0 -m comment --comment "netloom:feed0001" -j MASQUERADE',
          'COMMIT',
          '',
        ].join('\n'),
      ],
    ]);
    expect(p.steps[0]?.undo?.input).toBe(
      [
        '*nat',
        '-D NETLOOM-POSTROUTING -s 10.0.0.0/24 ! -d 10.0.0.0/24 -o eth0 -m comment --comment "netloom:feed0001" -j MASQUERADE',
        '-D POSTROUTING -m comment --comment netloom -j NETLOOM-POSTROUTING',
        '-X NETLOOM-POSTROUTING',
        'COMMIT',
        '',
      ].join('\n'),
    );
    expect(p.steps[0]?.run.command).toMatch(/^iptables-restore -w 5 --noflush <<'EOF'\n\*nat\n[\s\S]*COMMIT\nEOF$/);
  });

  it('portmap.add: DNAT in PREROUTING and OUTPUT, hairpin MASQUERADE, FORWARD accepts — one restore per table', () => {
    const p = plan([{ op: 'portmap.add', proto: 'udp', hostPort: 5353, targetIp: '10.0.0.2', targetPort: 53 }]);
    const [nat, filter] = p.steps;
    expect(p.steps).toHaveLength(2);
    expect(nat?.run.input?.split('\n')).toEqual([
      '*nat',
      ':NETLOOM-PREROUTING - [0:0]',
      ':NETLOOM-OUTPUT - [0:0]',
      ':NETLOOM-POSTROUTING - [0:0]',
      '-I PREROUTING 1 -m comment --comment netloom -j NETLOOM-PREROUTING',
      '-A NETLOOM-PREROUTING -p udp -m addrtype --dst-type LOCAL -m udp --dport 5353 -m comment --comment "netloom:feed0001" -j DNAT --to-destination 10.0.0.2:53',
      '-I OUTPUT 1 -m comment --comment netloom -j NETLOOM-OUTPUT',
      '-A NETLOOM-OUTPUT -p udp -m addrtype --dst-type LOCAL -m udp --dport 5353 -m comment --comment "netloom:feed0001" -j DNAT --to-destination 10.0.0.2:53',
      '-I POSTROUTING 1 -m comment --comment netloom -j NETLOOM-POSTROUTING',
      '-A NETLOOM-POSTROUTING -s 10.0.0.2/32 -d 10.0.0.2/32 -p udp -m udp --dport 53 -m comment --comment "netloom:feed0001" -j MASQUERADE',
      'COMMIT',
      '',
    ]);
    expect(filter?.run.input?.split('\n')).toEqual([
      '*filter',
      ':NETLOOM-FORWARD - [0:0]',
      '-I FORWARD 1 -m comment --comment netloom -j NETLOOM-FORWARD',
      '-A NETLOOM-FORWARD -d 10.0.0.2/32 -p udp -m udp --dport 53 -m comment --comment "netloom:feed0001" -j ACCEPT',
      '-A NETLOOM-FORWARD -s 10.0.0.2/32 -p udp -m udp --sport 53 -m conntrack --ctstate RELATED,ESTABLISHED -m comment --comment "netloom:feed0001" -j ACCEPT',
      'COMMIT',
      '',
    ]);
  });

  it('portmap.add of a host port range shifts ports one to one (DNAT IP:T-T\'/A) and matches the target range everywhere', () => {
    const p = plan([{ op: 'portmap.add', proto: 'tcp', hostPort: 8000, hostPortEnd: 8002, targetIp: '10.0.0.2', targetPort: 9000 }]);
    const nat = p.steps.map((s) => s.run.input ?? '').join('\n');
    expect(nat).toContain('--dport 8000:8002 -m comment --comment "netloom:feed0001" -j DNAT --to-destination 10.0.0.2:9000-9002/8000');
    expect(nat).toContain('-s 10.0.0.2/32 -d 10.0.0.2/32 -p tcp -m tcp --dport 9000:9002');
    expect(nat).toContain('-d 10.0.0.2/32 -p tcp -m tcp --dport 9000:9002 -m comment --comment "netloom:feed0001" -j ACCEPT');
    expect(p.steps.map((s) => s.description).join(' ')).toContain('8000-8002 → 10.0.0.2:9000-9002');
  });

  it('portmap.add on 127.0.0.1 sets route_localnet on the target\'s device only (undo restores 0), masquerades loopback sources, and says so', () => {
    const ctx = contextFixture();
    ctx.namespaces[0]!.links[2] = { ...ctx.namespaces[0]!.links[2]!, addresses: ['10.0.0.1/24'], routeLocalnet: false };
    const p = plan([{ op: 'portmap.add', proto: 'tcp', hostPort: 8080, hostIp: '127.0.0.1', targetIp: '10.0.0.2', targetPort: 80 }], ctx);
    expect(runs(p).at(-1)).toEqual(['sysctl', '-w', 'net.ipv4.conf.br0.route_localnet=1']);
    expect(undos(p).at(-1)).toEqual(['sysctl', '-w', 'net.ipv4.conf.br0.route_localnet=0']);
    expect(p.notes.join(' ')).toContain('net.ipv4.conf.br0.route_localnet=1');
    const nat = p.steps[0]?.run.input ?? '';
    expect(nat).toContain('-A NETLOOM-PREROUTING -d 127.0.0.1/32 -p tcp -m tcp --dport 8080 -m comment --comment "netloom:feed0001" -j DNAT --to-destination 10.0.0.2:80');
    expect(nat).toContain('-A NETLOOM-POSTROUTING -s 127.0.0.0/8 -d 10.0.0.2/32 -p tcp -m tcp --dport 80 -m comment --comment "netloom:feed0001" -j MASQUERADE');
  });

  it('portmap.add with localAccess false writes no OUTPUT rule', () => {
    const p = plan([{ op: 'portmap.add', proto: 'tcp', hostPort: 8080, targetIp: '10.0.0.2', targetPort: 80, localAccess: false, hostIp: '192.0.2.1' }]);
    expect(p.steps[0]?.run.input).not.toContain('OUTPUT');
    expect(p.steps[0]?.run.input).toContain('-A NETLOOM-PREROUTING -d 192.0.2.1/32 -p tcp -m tcp --dport 8080');
  });
});

describe('existing chains', () => {
  it('are never declared again (":CHAIN" with --noflush would flush them) and their jump is not duplicated', () => {
    const ctx = contextFixture();
    const host = ctx.namespaces[0]!;
    host.iptables!.chains.nat!.push('NETLOOM-POSTROUTING');
    host.iptables!.rules.push(
      { table: 'nat', chain: 'POSTROUTING', spec: '-m comment --comment netloom -j NETLOOM-POSTROUTING' },
      { table: 'nat', chain: 'NETLOOM-POSTROUTING', spec: '-s 10.9.0.0/16 -m comment --comment "netloom:0ld0ne"' },
    );
    const p = plan([{ op: 'nat.masquerade.add', source: '10.0.0.0/24' }], ctx);
    expect(p.steps[0]?.run.input).toBe('*nat\n-A NETLOOM-POSTROUTING -s 10.0.0.0/24 -m comment --comment "netloom:feed0001" -j MASQUERADE\nCOMMIT\n');
    expect(p.steps[0]?.undo?.input).toBe('*nat\n-D NETLOOM-POSTROUTING -s 10.0.0.0/24 -m comment --comment "netloom:feed0001" -j MASQUERADE\nCOMMIT\n');
  });

  it('a chain whose jump Docker flushed gets the jump back (and the undo takes it away again)', () => {
    const ctx = contextFixture();
    ctx.namespaces[0]!.iptables!.chains.filter!.push('NETLOOM-FORWARD');
    const p = plan([{ op: 'portmap.add', proto: 'tcp', hostPort: 80, targetIp: '10.0.0.2', targetPort: 80 }], ctx);
    const filter = p.steps[1]!;
    expect(filter.run.input).not.toContain(':NETLOOM-FORWARD');
    expect(filter.run.input).toContain('-I FORWARD 1 -m comment --comment netloom -j NETLOOM-FORWARD');
    expect(filter.undo?.input).toContain('-D FORWARD -m comment --comment netloom -j NETLOOM-FORWARD');
    expect(filter.undo?.input).not.toContain('-X NETLOOM-FORWARD');
  });
});

describe('rule.remove', () => {
  it('deletes exactly the rules tagged with the id, by spec, one restore per table; the undo appends them again', () => {
    const ctx = contextFixture();
    const ipt = ctx.namespaces[1]!.iptables!;
    ipt.chains.nat!.push('NETLOOM-PREROUTING', 'DOCKER');
    ipt.rules.push(
      { table: 'nat', chain: 'DOCKER', spec: '-p tcp -m tcp --dport 80 -m comment --comment "netloom:abc123" -j DNAT --to-destination 1.2.3.4:80' },
      { table: 'nat', chain: 'NETLOOM-PREROUTING', spec: '-p tcp -m tcp --dport 80 -m comment --comment "netloom:abc123" -j DNAT --to-destination 10.0.0.2:80' },
      { table: 'nat', chain: 'NETLOOM-PREROUTING', spec: '-p tcp -m tcp --dport 81 -m comment --comment "netloom:abc1234" -j DNAT --to-destination 10.0.0.2:81' },
      { table: 'filter', chain: 'NETLOOM-FORWARD', spec: '-d 10.0.0.2/32 -m comment --comment "netloom:abc123" -j ACCEPT' },
    );
    const p = plan([{ op: 'rule.remove', id: 'abc123' }], ctx);
    expect(runs(p)).toEqual([
      ['nsenter', '--net=/run/netns/red', '--', 'iptables-restore', '-w', '5', '--noflush', '*nat\n-D NETLOOM-PREROUTING -p tcp -m tcp --dport 80 -m comment --comment "netloom:abc123" -j DNAT --to-destination 10.0.0.2:80\nCOMMIT\n'],
      ['nsenter', '--net=/run/netns/red', '--', 'iptables-restore', '-w', '5', '--noflush', '*filter\n-D NETLOOM-FORWARD -d 10.0.0.2/32 -m comment --comment "netloom:abc123" -j ACCEPT\nCOMMIT\n'],
    ]);
    expect(p.steps[1]?.undo?.input).toBe('*filter\n-A NETLOOM-FORWARD -d 10.0.0.2/32 -m comment --comment "netloom:abc123" -j ACCEPT\nCOMMIT\n');
  });

  it('an unknown id is not_found', () => {
    expect(() => plan([{ op: 'rule.remove', id: 'abcdef' }])).toThrow(expect.objectContaining({ code: 'not_found', path: 'intents.0.id' }));
  });
});

describe('batching and state', () => {
  it('consecutive ip commands of one namespace become one `ip -n NS -batch -`, undone in reverse', () => {
    const p = plan([
      { op: 'netns.create', name: 'green' },
      { op: 'veth.create', a: { name: 'g0', ns: 'green' }, b: { name: 'g1' } },
      { op: 'addr.add', ns: 'green', dev: 'g0', cidr: '10.1.0.2/24' },
      { op: 'link.set', ns: 'green', name: 'lo', up: true },
      { op: 'link.set', ns: 'green', name: 'g0', up: true },
      { op: 'link.set', name: 'g1', up: true },
      { op: 'route.add', ns: 'green', dst: 'default', via: '10.1.0.1' },
    ]);
    expect(runs(p)).toEqual([
      ['ip', '-batch', '-', 'netns add green\nlink add g1 type veth peer name g0 netns green\nlink set dev g1 up\n'],
      ['ip', '-n', 'green', '-batch', '-', 'addr add 10.1.0.2/24 dev g0\nlink set dev lo up\nlink set dev g0 up\nroute add default via 10.1.0.1\n'],
    ]);
    expect(undos(p)).toEqual([
      ['ip', '-batch', '-', 'link set dev g1 down\nlink delete g1\nnetns delete green\n'],
      ['ip', '-n', 'green', '-batch', '-', 'route del default via 10.1.0.1\nlink set dev g0 down\nlink set dev lo down\naddr del 10.1.0.2/24 dev g0\n'],
    ]);
    expect(p.steps[1]?.run.command).toBe("ip -n green -batch - <<'EOF'\naddr add 10.1.0.2/24 dev g0\nlink set dev lo up\nlink set dev g0 up\nroute add default via 10.1.0.1\nEOF");
  });

  it('a line for a namespace that a later step changed does not jump ahead of that step', () => {
    const p = plan([
      { op: 'link.set', ns: 'red', name: 'lo', up: true },
      { op: 'veth.create', a: { name: 'x0' }, b: { name: 'x1', ns: 'red' } },
      { op: 'link.set', ns: 'red', name: 'x1', up: true },
    ]);
    expect(runs(p).map((r) => r.slice(0, 3))).toEqual([
      ['ip', '-n', 'red'],
      ['ip', 'link', 'add'],
      ['ip', '-n', 'red'],
    ]);
  });

  it('irreversible steps stand alone and nothing is batched across them', () => {
    const p = plan([
      { op: 'link.set', name: 'eth0', mtu: 1400 },
      { op: 'link.delete', name: 'br0' },
      { op: 'link.set', name: 'eth0', up: false },
    ]);
    expect(p.steps.map((s) => s.kind)).toEqual(['ip', 'ip', 'ip']);
    expect(p.steps[1]?.undo).toBeNull();
    expect(p.steps[1]?.irreversible).toMatch(/cannot be recreated/);
  });

  it('values that already hold produce no step, only a note', () => {
    const p = plan([{ op: 'forwarding.set', enabled: true, ns: 'red' }, { op: 'link.set', name: 'eth0', up: true }]);
    expect(p.steps).toEqual([]);
    expect(p.notes).toHaveLength(2);
  });

  it('checks against the state as the plan changes it: conflict, not_found', () => {
    expect(() => plan([{ op: 'bridge.create', name: 'eth0' }])).toThrow(expect.objectContaining({ code: 'conflict', path: 'intents.0.name' }));
    expect(() => plan([{ op: 'bridge.create', name: 'b' }, { op: 'bridge.create', name: 'b' }])).toThrow(expect.objectContaining({ code: 'conflict', path: 'intents.1.name' }));
    expect(() => plan([{ op: 'netns.create', name: 'red' }])).toThrow(expect.objectContaining({ code: 'conflict' }));
    expect(() => plan([{ op: 'addr.add', dev: 'nope0', cidr: '10.0.0.1/24' }])).toThrow(expect.objectContaining({ code: 'not_found', path: 'intents.0.dev' }));
    expect(() => plan([{ op: 'bridge.create', name: 'b', ns: 'ghost' }])).toThrow(expect.objectContaining({ code: 'not_found', path: 'intents.0.ns' }));
    expect(() => plan([{ op: 'bridge.create', name: 'b', ns: 'ns:123' }])).toThrow(expect.objectContaining({ code: 'not_found' }));
    expect(() => plan([{ op: 'link.set', name: 'eth0', master: 'lo' }])).toThrow(expect.objectContaining({ code: 'invalid', path: 'intents.0.master' }));
    expect(() => plan([{ op: 'nat.masquerade.add', source: '10.0.0.0/8', ns: 'ns:4026532999' }])).toThrow(expect.objectContaining({ code: 'unavailable' }));
    // A bridge created earlier in the same plan can take ports.
    expect(plan([{ op: 'bridge.create', name: 'b' }, { op: 'link.set', name: 'eth0', master: 'b' }]).steps).toHaveLength(1);
  });

  it('the plan round-trips through the Plan schema (it is journaled as JSON)', async () => {
    const { Plan } = await import('../../../../protocol/src/index.js');
    const p = plan([{ op: 'portmap.add', proto: 'tcp', hostPort: 8080, targetIp: '10.0.0.2', targetPort: 80 }, { op: 'bridge.create', name: 'b' }]);
    expect(Plan.parse(JSON.parse(JSON.stringify(p)))).toEqual(p);
  });
});
