import { describe, expect, it } from 'vitest';
import type { PortMapping, Rule } from '../../../../protocol/src/index.js';
import { netloomRuleId } from '../../../../renderer/src/control/rule-id.js';
import { HOST, NS1, labSnapshot } from '../../../fixtures/snapshots/lab-snapshot.js';

const rule = (chain: string, spec: string, ns = HOST): Rule => ({ ns, table: 'nat', chain, spec, owner: 'netloom', packets: 0, bytes: 0, target: null });
const pm = (over: Partial<PortMapping> = {}): PortMapping => ({ ns: HOST, proto: 'tcp', hostIp: '0.0.0.0', hostPort: 8080, targetIp: '10.0.0.2', targetPort: 80, targetInterface: null, chains: ['PREROUTING', 'NETLOOM-PREROUTING'], localAccess: true, owner: 'netloom', ...over });

describe('netloomRuleId', () => {
  const s = labSnapshot();
  s.rules.push(
    // A neighbour on another port and one on one host address: must not be confused.
    rule('NETLOOM-PREROUTING', '-p tcp -m addrtype --dst-type LOCAL -m tcp --dport 8081 -m comment --comment "netloom:aaaaaa01" -j DNAT --to-destination 10.0.0.2:80'),
    rule('NETLOOM-PREROUTING', '-d 192.168.1.20/32 -p tcp -m tcp --dport 8080 -m comment --comment "netloom:bbbbbb02" -j DNAT --to-destination 10.0.0.2:80'),
    rule('NETLOOM-PREROUTING', '-p tcp -m addrtype --dst-type LOCAL -m tcp --dport 8080 -m comment --comment "netloom:cccccc03" -j DNAT --to-destination 10.0.0.2:80'),
    // nft's iptables-save prints the comment without quotes.
    rule('NETLOOM-PREROUTING', '-p udp -m udp --dport 5353 -m comment --comment netloom:dddddd04 -j DNAT --to-destination 10.0.0.2:53', NS1),
  );
  it('finds the tag of the DNAT with the same protocol, port, host address and target', () => {
    expect(netloomRuleId(s, pm())).toBe('cccccc03');
    expect(netloomRuleId(s, pm({ hostIp: '192.168.1.20' }))).toBe('bbbbbb02');
    expect(netloomRuleId(s, pm({ hostPort: 8081 }))).toBe('aaaaaa01');
  });
  it('reads unquoted comments and looks only in the mapping\'s namespace', () => {
    expect(netloomRuleId(s, pm({ ns: NS1, proto: 'udp', hostPort: 5353, targetPort: 53 }))).toBe('dddddd04');
    expect(netloomRuleId(s, pm({ proto: 'udp', hostPort: 5353, targetPort: 53 }))).toBeNull();
  });
  it('returns null when nothing matches (another target, or Docker\'s untagged rule)', () => {
    expect(netloomRuleId(s, pm({ targetIp: '10.0.0.3' }))).toBeNull();
    expect(netloomRuleId(s, pm({ hostPort: 18080, targetIp: '172.17.0.2' }))).toBeNull();
  });
});
