import { describe, expect, it } from 'vitest';
import { iptablesForm } from '../../../../helper/firewall/form-iptables.js';
import { evalMatches, type PacketView } from '../../../../helper/firewall/evaluate.js';

// iptables-save specs through the one rule form (form-iptables.ts) and its evaluation (evaluate.ts).
const ctx = (over: Partial<PacketView> = {}, p: Partial<PacketView> = {}): PacketView => ({
  family: 4,
  src: '10.0.0.2',
  dst: '203.0.113.2',
  proto: 'tcp',
  sport: null,
  dport: 80,
  ct: 'NEW',
  in: 'veth-ns1',
  out: 'uplink',
  mark: 0,
  ctmark: 0,
  isLocal: (ip) => ip === '203.0.113.1',
  dnat: false,
  snat: false,
  ...over,
  ...p,
});
const m = (spec: string, c: PacketView = ctx()) => evalMatches(iptablesForm(spec).matches, c).result;

describe('iptables rules in the one rule form', () => {
  it.each([
    ['-s 10.0.0.0/24 -j ACCEPT', 'yes'],
    ['-s 10.0.1.0/24 -j ACCEPT', 'no'],
    ['! -s 10.0.1.0/24 -j ACCEPT', 'yes'],
    ['-d 203.0.113.2/32 -j ACCEPT', 'yes'],
    ['-s 192.168.0.0/16,10.0.0.0/8 -j ACCEPT', 'yes'],
    ['-i veth+ -o uplink -j ACCEPT', 'yes'],
    ['-i docker0 -j ACCEPT', 'no'],
    ['! -o uplink -j ACCEPT', 'no'],
    ['-p tcp -m tcp --dport 80 -j ACCEPT', 'yes'],
    ['-p tcp -m tcp --dport 8000:8100 -j ACCEPT', 'no'],
    ['-p udp -j ACCEPT', 'no'],
    ['-p 6 -j ACCEPT', 'yes'],
    ['-p tcp -m multiport --dports 22,80,443 -j ACCEPT', 'yes'],
    ['-p tcp -m tcp --sport 1024:65535 -j ACCEPT', 'unknown'],
    ['-m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT', 'no'],
    ['-m state --state NEW -j ACCEPT', 'yes'],
    ['-m conntrack --ctstate INVALID -j DROP', 'no'],
    ['-m addrtype --dst-type LOCAL -j DOCKER', 'no'],
    ['-m addrtype ! --dst-type LOCAL -j ACCEPT', 'yes'],
    ['-m comment --comment "netloom:abc" -j ACCEPT', 'yes'],
    ['-m mark --mark 0x1 -j DROP', 'no'],
    ['-m mark --mark 0x0/0xff -j DROP', 'yes'],
    ['-m limit --limit 5/sec -j DROP', 'unknown'],
    ['-m set --match-set blocked src -j DROP', 'unknown'],
    ['-m physdev --physdev-is-bridged -j ACCEPT', 'unknown'],
    ['-s 10.0.1.0/24 -m limit --limit 1/sec -j DROP', 'no'],
    ['-m iprange --dst-range 203.0.113.1-203.0.113.9 -j ACCEPT', 'yes'],
    ['-p tcp --syn -j ACCEPT', 'yes'],
    ['-m conntrack --ctstate NEW,DNAT -j ACCEPT', 'yes'],
  ])('%s → %s', (spec, want) => {
    expect(m(spec)).toBe(want);
  });

  it('a reply is ESTABLISHED and an echo reply; the target options after -j are not matches', () => {
    const reply = ctx({}, { ct: 'ESTABLISHED', proto: 'icmp', dport: null });
    expect(m('-m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT', reply)).toBe('yes');
    expect(m('-p icmp -m icmp --icmp-type 8 -j ACCEPT', reply)).toBe('no');
    expect(m('-p icmp -m icmp --icmp-type echo-reply -j ACCEPT', reply)).toBe('yes');
    expect(m('-p tcp -j DNAT --to-destination 10.0.0.2:80')).toBe('yes');
  });

  it('ctstate DNAT follows what conntrack did', () => {
    expect(m('-m conntrack --ctstate DNAT -j ACCEPT', ctx({ dnat: true }))).toBe('yes');
    expect(m('-m conntrack --ctstate DNAT -j ACCEPT')).toBe('no');
  });

  it('a mark someone else set is unknown, one netloom followed is decided', () => {
    expect(m('-m mark --mark 0x1 -j DROP', ctx({ mark: null }))).toBe('unknown');
    expect(m('-m mark --mark 0x1/0x1 -j DROP', ctx({ mark: 3 }))).toBe('yes');
  });

  it('targets: verdicts, jumps, NAT with a shifted range, MARK as a side effect', () => {
    expect(iptablesForm('-j DROP').verdict).toEqual({ kind: 'drop' });
    expect(iptablesForm('-j DOCKER-USER').verdict).toEqual({ kind: 'jump', chain: 'DOCKER-USER' });
    expect(iptablesForm('-g NETAVARK-1').verdict).toEqual({ kind: 'goto', chain: 'NETAVARK-1' });
    expect(iptablesForm('-p tcp --dport 8000:8010 -j DNAT --to-destination 10.0.0.2:9000-9010/8000').verdict).toEqual({
      kind: 'dnat',
      to: { ip: '10.0.0.2', port: 9000, portEnd: 9010, base: 8000 },
    });
    expect(iptablesForm('-j MARK --set-xmark 0x2000/0x2000')).toMatchObject({ verdict: null, effects: [{ kind: 'mark', target: 'mark', value: 0x2000, mask: 0x2000 }] });
    expect(iptablesForm('-j LOG --log-prefix "x "')).toEqual({ matches: [], effects: [], verdict: null });
    expect(iptablesForm('-j NFQUEUE --queue-num 1').verdict).toMatchObject({ kind: 'unknown' });
  });
});
