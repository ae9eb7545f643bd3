import { describe, expect, it } from 'vitest';
import { explainHealth } from '../../../../helper/explain/health.js';
import { HealthResult } from '../../../../protocol/src/explain.js';
import { dropRoutes, dropRules, iface, linkDown, loadLab, nsId } from './lab-fixture.js';

const group = (h: HealthResult, ns: string) => h.groups.find((g) => g.ns === ns)!.findings;

describe('explain.health', () => {
  it('the working lab: only "outside" (by design) and the sandbox host lack a default route, and neither gets a made-up gateway', () => {
    const s = loadLab();
    const h = explainHealth(s);
    expect(HealthResult.parse(h)).toEqual(h);
    expect(group(h, nsId(s, 'ns1'))).toEqual([]);
    expect(group(h, nsId(s, 'outside')).map((f) => [f.code, f.fix?.intents])).toEqual([['no-default-route', [{ op: 'route.add', dst: 'default', via: '203.0.113.1', ns: 'outside' }]]]);
    expect(group(h, nsId(s, null)).map((f) => [f.code, f.fix])).toEqual([['no-default-route', null]]);
  });

  it('lo down, a veth end down, no default route, forwarding off where others route through', () => {
    const s = loadLab();
    linkDown(s, 'ns1', 'lo');
    linkDown(s, null, 'veth-ns1');
    dropRoutes(s, 'ns1', 'default');
    s.namespaces.find((n) => n.kind === 'host')!.ipForward = false;
    s.routes.push({ ns: nsId(s, 'outside'), table: 'main', dst: '10.0.0.0/24', gateway: '203.0.113.1', dev: iface(s, 'outside', 'eth0').id, src: null, protocol: null, scope: null, metric: null, type: 'unicast', family: 4 });
    const h = explainHealth(s);
    expect(group(h, nsId(s, 'ns1')).map((f) => f.code)).toEqual(['loopback-down', 'no-default-route']);
    expect(group(h, nsId(s, null)).map((f) => f.code)).toEqual(['link-down', 'no-default-route', 'forwarding-off']);
  });

  it('a router forwarding a private subnet out of its default route without MASQUERADE', () => {
    const s = loadLab();
    dropRules(s, null, (spec) => spec.includes('MASQUERADE'));
    s.routes.push({ ns: nsId(s, null), table: 'main', dst: 'default', gateway: '203.0.113.2', dev: iface(s, null, 'uplink').id, src: null, protocol: null, scope: null, metric: null, type: 'unicast', family: 4 });
    const h = explainHealth(s);
    const f = group(h, nsId(s, null)).find((x) => x.code === 'no-masquerade');
    expect(f?.fix?.intents).toEqual([{ op: 'nat.masquerade.add', source: '10.0.0.0/24', outDev: 'uplink' }]);
  });

  it('veth ends in different subnets', () => {
    const s = loadLab();
    iface(s, 'ns1', 'eth0').addresses = ['10.0.1.2/24'];
    expect(explainHealth(s).groups.flatMap((g) => g.findings).map((f) => f.code)).toContain('wrong-subnet');
  });
});

it('a mapped host port a process also holds (not docker-proxy) is host-port-taken', () => {
  const s = loadLab();
  const h = explainHealth(s, { listening: (_ns, proto, port) => proto === 'tcp' && port === 8080 });
  expect(h.groups.flatMap((g) => g.findings).filter((f) => f.code === 'host-port-taken').map((f) => f.decidedBy)).toEqual([{ kind: 'portMapping', ns: nsId(s, null), proto: 'tcp', hostPort: 8080 }]);
  expect(explainHealth(s).groups.flatMap((g) => g.findings).some((f) => f.code === 'host-port-taken')).toBe(false);
});
