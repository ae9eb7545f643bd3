import { describe, expect, it } from 'vitest';
import type { Plan } from '../../../../protocol/src/index.js';
import { parseIntents } from '../../../../protocol/src/index.js';
import { compile } from '../../../../helper/intents/compile.js';
import type { PlanContext } from '../../../../helper/intents/context.js';
import { freshIptables } from '../../../../helper/intents/context.js';
import { routeLocalnetKey } from '../../../../helper/intents/localnet.js';
import { iptablesStateOf } from '../../../../helper/intents/netloom-chains.js';
import { parseOwnTable } from '../../../../helper/intents/nft-own.js';

// Issue 15, item 2: a mapping on every host address promises 127.0.0.1 too.

/** A host with br0 10.0.0.1/24 (the targets sit behind it) and an uplink. */
function host(br0: { routeLocalnet?: boolean | null } = { routeLocalnet: false }, rules = ''): PlanContext {
  return {
    namespaces: [
      {
        target: { id: 'ns:1', path: '/proc/self/ns/net', name: null, own: true },
        links: [
          { name: 'lo', kind: null, up: true, mtu: 65536, master: null, addresses: ['127.0.0.1/8'] },
          { name: 'eth0', kind: null, up: true, mtu: 1500, master: null, addresses: ['192.0.2.1/24'], routeLocalnet: false },
          { name: 'br0', kind: 'bridge', up: true, mtu: 1500, master: null, addresses: ['10.0.0.1/24', 'fd00::1/64'], ...br0 },
        ],
        ipForward: true,
        routeLocalnet: false,
        iptables: rules ? iptablesStateOf(rules) : freshIptables(),
      },
    ],
  };
}
const ids = (): (() => string) => {
  let n = 0;
  return () => `0000000${++n}`;
};
const compileFor = (intents: unknown[], ctx: PlanContext): Plan => compile(parseIntents(intents), ctx, { newId: ids() });
const map = (extra: object = {}) => ({ op: 'portmap.add', proto: 'tcp', hostPort: 8080, targetIp: '10.0.0.2', targetPort: 80, ...extra });
const inputs = (p: Plan): string => p.steps.map((s) => s.run.input ?? s.run.command).join('\n');

describe('127.0.0.1 reaching a port mapping on every host address', () => {
  it('route_localnet on br0 only, after a guard and the loopback MASQUERADE; the undo reverses it', () => {
    const p = compileFor([map()], host());
    expect(p.steps.map((s) => s.kind)).toEqual(['iptables', 'iptables', 'sysctl']);
    expect(p.steps[2]!.run.argv).toEqual(['sysctl', '-w', 'net.ipv4.conf.br0.route_localnet=1']);
    expect(p.steps[2]!.undo!.argv).toEqual(['sysctl', '-w', 'net.ipv4.conf.br0.route_localnet=0']);
    expect(inputs(p)).toContain('-A NETLOOM-POSTROUTING -s 127.0.0.0/8 -d 10.0.0.2/32 -p tcp -m tcp --dport 80 -m comment --comment "netloom:00000001" -j MASQUERADE');
    expect(inputs(p)).toContain(':NETLOOM-INPUT - [0:0]\n');
    expect(inputs(p)).toContain('-I INPUT 1 -m comment --comment netloom -j NETLOOM-INPUT\n');
    expect(inputs(p)).toContain('-A NETLOOM-INPUT -d 127.0.0.0/8 -i br0 -m conntrack ! --ctstate RELATED,ESTABLISHED -m comment --comment "netloom:00000001" -j DROP');
    expect(p.notes[0]).toBe('127.0.0.1:8080 answers too: sets net.ipv4.conf.br0.route_localnet=1 (was 0) and drops packets for 127.0.0.0/8 arriving from outside on br0 (netloom:00000001); undo restores both');
    expect(inputs(p)).not.toContain('conf.all');
  });

  it('with route_localnet unread the step says its undo is unknown rather than guessing 0', () => {
    const p = compileFor([map()], host({}));
    expect(p.steps[2]).toMatchObject({ kind: 'sysctl', undo: null, irreversible: expect.stringContaining('could not be read') });
  });

  it('a bridge the same plan creates starts with the default route_localnet: its step can be undone', () => {
    const ctx = host({});
    ctx.namespaces[0]!.links = ctx.namespaces[0]!.links.filter((l) => l.name !== 'br0');
    ctx.namespaces[0]!.defaultRouteLocalnet = false;
    const p = compileFor([{ op: 'bridge.create', name: 'br0' }, { op: 'addr.add', dev: 'br0', cidr: '10.0.0.1/24' }, map()], ctx);
    const step = p.steps.find((s) => s.kind === 'sysctl');
    expect(step?.run.argv).toEqual(['sysctl', '-w', 'net.ipv4.conf.br0.route_localnet=1']);
    expect(step?.undo?.argv).toEqual(['sysctl', '-w', 'net.ipv4.conf.br0.route_localnet=0']);
  });

  it('a second mapping behind the same device adds its own guard and leaves the sysctl alone', () => {
    const p = compileFor([map(), map({ hostPort: 8081, targetIp: '10.0.0.3' })], host());
    expect(p.steps.filter((s) => s.kind === 'sysctl')).toHaveLength(1);
    expect(inputs(p).match(/-A NETLOOM-INPUT /g)).toHaveLength(2);
    expect(p.notes[1]).toContain('already on for an earlier netloom mapping');
  });

  it('someone else\'s route_localnet (Docker on its bridge, or everywhere) is theirs: no sysctl, no guard', () => {
    for (const ctx of [host({ routeLocalnet: true }), { namespaces: [{ ...host().namespaces[0]!, routeLocalnet: true }] }]) {
      const p = compileFor([map()], ctx);
      expect(p.steps.map((s) => s.kind)).toEqual(['iptables', 'iptables']);
      expect(inputs(p)).toContain('-s 127.0.0.0/8 -d 10.0.0.2/32');
      expect(inputs(p)).not.toContain('NETLOOM-INPUT');
      expect(p.notes[0]).toContain('127.0.0.1:8080 answers too (route_localnet is already on for br0)');
    }
  });

  it('not promised, not done: another host address, localAccess false, a target on this host, or no attached subnet (said so)', () => {
    for (const extra of [{ hostIp: '192.0.2.1' }, { localAccess: false }, { targetIp: '192.0.2.1' }]) {
      const p = compileFor([map(extra)], host());
      expect(p.steps.map((s) => s.kind)).toEqual(['iptables', 'iptables']);
      expect(inputs(p)).not.toContain('127.0.0.0/8');
    }
    const far = compileFor([map({ targetIp: '172.20.0.2' })], host());
    expect(inputs(far)).not.toContain('127.0.0.0/8');
    expect(far.notes[0]).toBe('127.0.0.1:8080 will not answer: 172.20.0.2 is not on a subnet attached to the host namespace, so from this host only its own addresses reach the mapping');
  });

  it('a dotted device name takes sysctl\'s slash form', () => {
    expect(routeLocalnetKey('eth0.100')).toBe('net/ipv4/conf/eth0.100/route_localnet');
    expect(routeLocalnetKey('br0')).toBe('net.ipv4.conf.br0.route_localnet');
  });
});

describe('rule.remove of such a mapping', () => {
  const saved = (ids: string[]) =>
    [
      '*filter',
      ':INPUT ACCEPT [0:0]',
      ':NETLOOM-INPUT - [0:0]',
      '-A INPUT -m comment --comment netloom -j NETLOOM-INPUT',
      ...ids.map((id) => `-A NETLOOM-INPUT -d 127.0.0.0/8 -i br0 -m conntrack ! --ctstate RELATED,ESTABLISHED -m comment --comment "netloom:${id}" -j DROP`),
      'COMMIT',
      '',
    ].join('\n');

  it('the last guard of br0 going turns route_localnet off first; the undo puts the guard back before turning it on', () => {
    const p = compileFor([{ op: 'rule.remove', id: 'aaaaaaaa' }], host({ routeLocalnet: true }, saved(['aaaaaaaa'])));
    expect(p.steps.map((s) => s.kind)).toEqual(['sysctl', 'iptables']);
    expect(p.steps[0]!.run.argv).toEqual(['sysctl', '-w', 'net.ipv4.conf.br0.route_localnet=0']);
    expect(p.steps[0]!.undo!.argv).toEqual(['sysctl', '-w', 'net.ipv4.conf.br0.route_localnet=1']);
  });

  it('while another mapping still guards br0, route_localnet stays on', () => {
    const p = compileFor([{ op: 'rule.remove', id: 'aaaaaaaa' }], host({ routeLocalnet: true }, saved(['aaaaaaaa', 'bbbbbbbb'])));
    expect(p.steps.map((s) => s.kind)).toEqual(['iptables']);
  });
});

describe('on a host whose firewall is native nftables', () => {
  const nftHost = (br0: { routeLocalnet?: boolean | null }, listed: string | null): PlanContext => {
    const ctx = host(br0);
    ctx.namespaces[0]!.iptables = null;
    ctx.namespaces[0]!.firewall = { writer: 'nftables', nft: parseOwnTable(listed), lists: null };
    return ctx;
  };

  it("the guard and the loopback MASQUERADE go into netloom's own table, then route_localnet on br0; removing the mapping turns it off", () => {
    const p = compileFor([map()], nftHost({ routeLocalnet: false }, null));
    expect(p.steps.map((s) => s.kind)).toEqual(['nftables', 'sysctl']);
    const table = p.steps[0]!.run.input ?? '';
    expect(table).toContain('ip saddr 127.0.0.0/8 ip daddr 10.0.0.2 meta l4proto tcp th dport 80 masquerade comment "netloom:00000001"');
    expect(table).toContain('chain input {');
    expect(table).toContain('iifname "br0" ip daddr 127.0.0.0/8 ct state invalid,new,untracked drop comment "netloom:00000001"');
    expect(p.steps[1]!.run.argv).toEqual(['sysctl', '-w', 'net.ipv4.conf.br0.route_localnet=1']);

    // What nft lists back after that plan: removing the mapping releases br0 before the table loses its guard.
    const listed = `table inet netloom {\n\tchain input {\n\t\ttype filter hook input priority filter; policy accept;\n\t\tiifname "br0" ip daddr 127.0.0.0/8 ct state invalid,new,untracked drop comment "netloom:00000001"\n\t}\n}\n`;
    const r = compileFor([{ op: 'rule.remove', id: '00000001' }], nftHost({ routeLocalnet: true }, listed));
    expect(r.steps.map((s) => s.kind)).toEqual(['sysctl', 'nftables']);
    expect(r.steps[0]!.run.argv).toEqual(['sysctl', '-w', 'net.ipv4.conf.br0.route_localnet=0']);
  });
});
