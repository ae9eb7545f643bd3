import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseIptablesSave } from '../../../../helper/firewall/iptables-save.js';
import { chainOwner, ruleOwner } from '../../../../helper/firewall/rule-owner.js';
import { parseSpec, tokenizeSpec } from '../../../../helper/firewall/iptables-spec.js';

const fixture = (name: string): string =>
  readFileSync(join(__dirname, '..', '..', '..', 'fixtures', 'iptables', `${name}.txt`), 'utf8');
/** `table chain spec → owner` for every rule of a fixture. */
const owners = (name: string): string[] =>
  parseIptablesSave(fixture(name), 'ns:1').rules.map((r) => `${r.table} ${r.chain} ${r.spec} → ${r.owner}`);

describe('rule owners per fixture', () => {
  it('gives every Docker 20.10 rule to docker', () => {
    const all = owners('docker');
    expect(all).toHaveLength(26);
    expect(all.filter((l) => !l.endsWith('→ docker'))).toEqual([]);
  });

  it('gives every lxc-net rule to lxc, though lxc-net writes no comments', () => {
    const all = owners('lxc-net');
    expect(all).toHaveLength(8);
    expect(all.filter((l) => !l.endsWith('→ lxc'))).toEqual([]);
  });

  it('gives every netavark rule to podman', () => {
    const all = owners('podman');
    expect(all).toHaveLength(19);
    expect(all.filter((l) => !l.endsWith('→ podman'))).toEqual([]);
  });

  it('leaves the lab to the user', () => {
    expect(owners('lab').every((l) => l.endsWith('→ user'))).toBe(true);
  });

  it('tells apart user, netloom, podman and kube rules in the mixed set', () => {
    const byOwner = (o: string): string[] =>
      parseIptablesSave(fixture('mixed'), 'ns:1').rules.filter((r) => r.owner === o).map((r) => `${r.chain} ${r.target}`);
    expect(byOwner('netloom')).toEqual(['PREROUTING NETLOOM-PREROUTING', 'OUTPUT NETLOOM-OUTPUT', 'NETLOOM-OUTPUT DNAT', 'NETLOOM-PREROUTING DNAT']);
    expect(byOwner('podman')).toEqual([
      'PREROUTING NETAVARK-HOSTPORT-DNAT',
      'POSTROUTING MASQUERADE',
      'NETAVARK-DN-1D8721804F16F DNAT',
      'NETAVARK-HOSTPORT-DNAT NETAVARK-DN-1D8721804F16F',
    ]);
    expect(byOwner('kube')).toEqual(['OUTPUT KUBE-SERVICES']);
    expect(byOwner('docker')).toEqual([]);
    expect(byOwner('user')).toContain('LABFWD DNAT');
    expect(byOwner('user')).toContain('INPUT ACCEPT');
  });
});

describe('ruleOwner signals', () => {
  it('trusts a comment over the chain and the interfaces', () => {
    expect(ruleOwner('nat', 'DOCKER', '-m comment --comment "netloom:pm-7" -j ACCEPT')).toBe('netloom');
    expect(ruleOwner('filter', 'FORWARD', '-i docker0 -m comment --comment "managed by lxc-net" -j ACCEPT')).toBe('lxc');
    expect(ruleOwner('filter', 'FORWARD', '-m comment --comment "generated for LXC network lxcbr0" -j ACCEPT')).toBe('lxc');
    expect(ruleOwner('nat', 'POSTROUTING', '-s 10.4.0.0/24 -m comment --comment "name: \\"podman\\" id: \\"abc\\"" -j CNI-abc')).toBe('podman');
    expect(ruleOwner('nat', 'OUTPUT', '-m comment --comment "kubernetes service portals" -j ACCEPT')).toBe('kube');
    expect(ruleOwner('filter', 'INPUT', '-m comment --comment "cali:Cz_u1IQiXIMmKD4c" -j ACCEPT')).toBe('kube');
  });

  it('does not read a user comment that merely mentions a runtime', () => {
    expect(ruleOwner('filter', 'INPUT', '-p tcp -m tcp --dport 2375 -m comment --comment "block docker api" -j DROP')).toBe('user');
  });

  it('reads jumps into runtime chains from built-in chains', () => {
    expect(ruleOwner('nat', 'PREROUTING', '-m addrtype --dst-type LOCAL -j DOCKER')).toBe('docker');
    expect(ruleOwner('filter', 'FORWARD', '-j DOCKER-USER')).toBe('docker');
    expect(ruleOwner('nat', 'PREROUTING', '-j NETAVARK-HOSTPORT-DNAT')).toBe('podman');
    expect(ruleOwner('nat', 'PREROUTING', '-g CNI-HOSTPORT-DNAT')).toBe('podman');
    expect(ruleOwner('filter', 'FORWARD', '-j cali-FORWARD')).toBe('kube');
    expect(ruleOwner('filter', 'FORWARD', '-j CILIUM_FORWARD')).toBe('kube');
  });

  it('reads runtime interfaces', () => {
    expect(ruleOwner('nat', 'POSTROUTING', '-s 172.17.0.0/16 ! -o docker0 -j MASQUERADE')).toBe('docker');
    expect(ruleOwner('filter', 'FORWARD', '-i br-0123456789ab -o br-0123456789ab -j ACCEPT')).toBe('docker');
    expect(ruleOwner('filter', 'FORWARD', '-i br-lab -j ACCEPT')).toBe('user');
    expect(ruleOwner('nat', 'POSTROUTING', '-s 10.88.0.0/16 -o podman0 -j MASQUERADE')).toBe('podman');
    expect(ruleOwner('filter', 'FORWARD', '-o cni-podman0 -j ACCEPT')).toBe('podman');
    expect(ruleOwner('filter', 'INPUT', '-i lxcbr0 -p udp -m udp --dport 67 -j ACCEPT')).toBe('lxc');
  });

  it('knows the shapes lxc-net and Docker leave without any name in them', () => {
    expect(ruleOwner('nat', 'POSTROUTING', '-s 10.0.3.0/24 ! -d 10.0.3.0/24 -j MASQUERADE')).toBe('lxc');
    expect(ruleOwner('nat', 'POSTROUTING', '-s 10.0.3.0/24 -d 10.0.3.0/24 -j MASQUERADE')).toBe('user');
    expect(ruleOwner('nat', 'POSTROUTING', '-s 172.17.0.2/32 -d 172.17.0.2/32 -p tcp -m tcp --dport 80 -j MASQUERADE')).toBe('docker');
  });

  it('gives user rules in DOCKER-USER to the user, Docker\'s RETURN to docker', () => {
    expect(ruleOwner('filter', 'DOCKER-USER', '-j RETURN')).toBe('docker');
    expect(ruleOwner('filter', 'DOCKER-USER', '-s 10.1.0.0/16 -j DROP')).toBe('user');
  });

  it('never throws on odd specs', () => {
    for (const spec of ['', '!', '! !', '-j', '"', '--comment', '-m comment --comment', '\\"\\', '-g "" -j']) {
      expect(() => ruleOwner('nat', 'PREROUTING', spec)).not.toThrow();
    }
  });
});

describe('chainOwner', () => {
  it('names runtime chains', () => {
    const cases: Record<string, string> = {
      DOCKER: 'docker',
      'DOCKER-USER': 'docker',
      'DOCKER-ISOLATION-STAGE-1': 'docker',
      'DOCKER-ISOLATION-STAGE-2': 'docker',
      'DOCKER-INGRESS': 'docker',
      'NETAVARK-1D8721804F16F': 'podman',
      'CNI-HOSTPORT-DNAT': 'podman',
      PODMAN_FORWARD: 'podman',
      'NETLOOM-PREROUTING': 'netloom',
      'KUBE-SERVICES': 'kube',
      'cali-FORWARD': 'kube',
      CILIUM_INPUT: 'kube',
      PREROUTING: 'user',
      LABFWD: 'user',
      DOCKERISH: 'user',
    };
    expect(Object.fromEntries(Object.keys(cases).map((c) => [c, chainOwner(c)]))).toEqual(cases);
  });
});

describe('spec tokens', () => {
  it('unquotes iptables-save strings and keeps negation with its option', () => {
    expect(tokenizeSpec('-m comment --comment "say \\"hi\\" to \\\\ bob" -j X').map((t) => t.text)).toEqual([
      '-m', 'comment', '--comment', 'say "hi" to \\ bob', '-j', 'X',
    ]);
    expect(parseSpec('! -i docker0 -p tcp -d ! 10.0.0.0/8')).toEqual([
      { name: '-i', args: ['docker0'], negated: true },
      { name: '-p', args: ['tcp'], negated: false },
      { name: '-d', args: ['10.0.0.0/8'], negated: true },
    ]);
  });
});
