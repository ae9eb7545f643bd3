import { describe, expect, it } from 'vitest';
import { parseSpec } from '../../../../helper/firewall/iptables-spec.js';
import { matchRule } from '../../../../helper/explain/rule-match.js';
import type { MatchContext, Packet } from '../../../../helper/explain/packet.js';

const pkt = (over: Partial<Packet> = {}): Packet => ({ family: 4, src: '10.0.0.2', dst: '203.0.113.2', proto: 'tcp', sport: null, dport: 80, ct: 'NEW', ...over });
const ctx = (over: Partial<MatchContext> = {}, p: Partial<Packet> = {}): MatchContext => ({ pkt: pkt(p), in: 'veth-ns1', out: 'uplink', isLocal: (ip) => ip === '203.0.113.1', dnat: false, snat: false, ...over });
const m = (spec: string, c: MatchContext = ctx()) => matchRule(parseSpec(spec), c).result;

describe('matchRule', () => {
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
    ['-m mark --mark 0x1 -j DROP', 'unknown'],
    ['-m physdev --physdev-is-bridged -j ACCEPT', 'unknown'],
    ['-s 10.0.1.0/24 -m mark --mark 0x1 -j DROP', 'no'],
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
});
