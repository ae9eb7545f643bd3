import { describe, expect, it } from 'vitest';
import type { PortMapping, Snapshot } from '../../../../protocol/src/index.js';
import { localAccessText } from '../../../../renderer/src/panels/local-access.js';
import { HOST, labSnapshot } from '../../../fixtures/snapshots/lab-snapshot.js';

// Issue 15, item 2: the inspector says exactly which addresses answer the host itself.
describe('localAccessText', () => {
  const pm = (o: Partial<PortMapping> = {}): PortMapping => ({ ns: HOST, proto: 'tcp', hostIp: '0.0.0.0', hostPort: 8080, targetIp: '10.0.0.2', targetPort: 80, targetInterface: null, chains: ['NETLOOM-OUTPUT'], localAccess: true, owner: 'netloom', ...o });
  const withRule = (s: Snapshot, spec: string): Snapshot => ({ ...s, rules: [...s.rules, { ns: HOST, table: 'nat', chain: 'NETLOOM-POSTROUTING', spec, owner: 'netloom', packets: 0, bytes: 0 }] });

  it('an OUTPUT DNAT alone: the host\'s own addresses, named, and not 127.0.0.1 with the reason', () => {
    const text = localAccessText(pm(), labSnapshot());
    expect(text).toMatch(/^reachable at this host's own addresses \((\d+\.){3}\d+:8080/);
    expect(text).toContain('— not at 127.0.0.1:8080: the kernel drops 127.0.0.1 traffic');
    expect(text).toContain('route_localnet');
  });

  it('with the loopback source rewritten (netloom\'s rule, or Docker\'s --src-type LOCAL one): 127.0.0.1 too', () => {
    const ours = withRule(labSnapshot(), '-s 127.0.0.0/8 -d 10.0.0.2/32 -p tcp -m tcp --dport 80 -m comment --comment "netloom:0000aaaa" -j MASQUERADE');
    expect(localAccessText(pm(), ours)).toMatch(/^reachable at 127\.0\.0\.1:8080 and at this host's own addresses/);
    const docker = withRule(labSnapshot(), '-o docker0 -m addrtype --src-type LOCAL -j MASQUERADE');
    expect(localAccessText(pm(), docker)).toMatch(/^reachable at 127\.0\.0\.1:8080/);
    // Another target's rule does not count.
    expect(localAccessText(pm({ targetIp: '10.0.0.9' }), ours)).toContain('not at 127.0.0.1:8080');
  });

  it('one host address, a proxy, no OUTPUT rule', () => {
    expect(localAccessText(pm({ hostIp: '192.0.2.1' }), labSnapshot())).toBe('reachable at 192.0.2.1:8080 only');
    expect(localAccessText(pm({ hostIp: '127.0.0.1' }), labSnapshot())).toMatch(/^127\.0\.0\.1:8080 will not answer/);
    expect(localAccessText(pm({ proxyPids: [42] }), labSnapshot())).toBe('reachable at 127.0.0.1:8080 and every address of this host (a userland proxy listens on the port)');
    expect(localAccessText(pm({ localAccess: false }), labSnapshot())).toBe('not reachable from the host itself (no OUTPUT rule)');
  });
});
