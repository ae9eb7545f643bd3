import { describe, expect, it } from 'vitest';
import { explainPath } from '../../../../helper/explain/explain-path.js';
import type { ExplainInputs } from '../../../../helper/explain/explain-path.js';
import type { ExplainResult } from '../../../../protocol/src/explain.js';
import { ExplainParams } from '../../../../protocol/src/explain.js';
import type { Snapshot } from '../../../../protocol/src/snapshot.js';
import { addRule, dropRoutes, dropRules, linkDown, loadLab, nsId, setPolicy } from './lab-fixture.js';

const explain = (s: Snapshot, p: unknown, inputs?: ExplainInputs): ExplainResult => explainPath(s, ExplainParams.parse(p), inputs);
const ns1ToOutside = { src: { kind: 'ns', ns: 'ns1' }, dst: { kind: 'ns', ns: 'outside' } };
const codes = (r: ExplainResult) => r.findings.map((f) => f.code);
const drops = (r: ExplainResult) => [...r.request, ...r.response].filter((h) => h.verdict === 'drop').map((h) => h.text);

describe('explain.path over the single-node lab', () => {
  it('ns1 → outside reaches: MASQUERADE on the uplink, conntrack restores ns1 as the reply destination', () => {
    const r = explain(loadLab(), ns1ToOutside);
    expect(r.verdict).toBe('reaches');
    expect(r.findings).toEqual([]);
    const masq = r.request.find((h) => h.stage === 'postrouting');
    expect(masq).toMatchObject({ src: '203.0.113.1', dst: '203.0.113.2', decidedBy: { kind: 'rule', chain: 'POSTROUTING', spec: '-s 10.0.0.0/24 -o uplink -j MASQUERADE' } });
    expect(r.response.find((h) => h.stage === 'conntrack')).toMatchObject({ dst: '10.0.0.2' });
    expect(r.response.at(-1)).toMatchObject({ stage: 'deliver', ns: nsId(loadLab(), 'ns1') });
  });

  it('outside → host:8080 is DNATed in PREROUTING to 10.0.0.2:80, and the reply leaves as 203.0.113.1:8080', () => {
    const r = explain(loadLab(), { src: { kind: 'ns', ns: 'outside' }, dst: { kind: 'hostPort', port: 8080 }, proto: 'tcp' });
    expect(r.verdict).toBe('reaches');
    expect(r.dst.ip).toBe('203.0.113.1');
    expect(r.request.find((h) => h.stage === 'prerouting')).toMatchObject({ dst: '10.0.0.2:80' });
    expect(r.response.find((h) => h.stage === 'conntrack')).toMatchObject({ src: '203.0.113.1:8080' });
  });

  it('lo down: ns1 cannot reach its own address (loopback-down, fix: link.set lo up in ns1)', () => {
    const s = loadLab();
    linkDown(s, 'ns1', 'lo');
    const r = explain(s, { src: { kind: 'ns', ns: 'ns1' }, dst: { kind: 'address', ip: '10.0.0.2' } });
    expect(r.verdict).toBe('blocked');
    expect(codes(r)).toEqual(['loopback-down']);
    expect(r.findings[0]!.fix!.intents).toEqual([{ op: 'link.set', name: 'lo', up: true, ns: 'ns1' }]);
  });

  it('no default route in ns1 (fix: route.add default via 10.0.0.1)', () => {
    const s = loadLab();
    dropRoutes(s, 'ns1', 'default');
    const r = explain(s, ns1ToOutside);
    expect(r.verdict).toBe('blocked');
    expect(codes(r)).toEqual(['no-default-route']);
    expect(r.findings[0]!.fix!.intents).toEqual([{ op: 'route.add', dst: 'default', via: '10.0.0.1', ns: 'ns1' }]);
  });

  it('no MASQUERADE: the request arrives, the reply has no way back (no-masquerade first, no-route-back as the alternative)', () => {
    const s = loadLab();
    dropRules(s, null, (spec) => spec.includes('MASQUERADE'));
    const r = explain(s, ns1ToOutside);
    expect(r.verdict).toBe('blocked');
    expect(r.request.at(-1)!.stage).toBe('deliver');
    expect(codes(r)).toEqual(['no-masquerade', 'no-route-back']);
    expect(r.findings[0]!.fix!.intents).toEqual([{ op: 'nat.masquerade.add', source: '10.0.0.0/24', outDev: 'uplink' }]);
    expect(r.findings[1]).toMatchObject({ severity: 'warning', fix: { intents: [{ op: 'route.add', dst: '10.0.0.0/24', via: '203.0.113.1', ns: 'outside' }] } });
  });

  it('forwarding off on the host (fix: forwarding.set on the host)', () => {
    const s = loadLab();
    s.namespaces.find((n) => n.kind === 'host')!.ipForward = false;
    const r = explain(s, ns1ToOutside);
    expect(r.verdict).toBe('blocked');
    expect(codes(r)).toEqual(['forwarding-off']);
    expect(r.findings[0]!.fix!.intents).toEqual([{ op: 'forwarding.set', enabled: true }]);
  });

  it('FORWARD policy DROP: forward-drop with a forward.allow fix; with that fix in place it reaches', () => {
    const s = loadLab();
    setPolicy(s, null, 'filter', 'FORWARD', 'DROP');
    const r = explain(s, ns1ToOutside);
    expect(r.verdict).toBe('blocked');
    expect(codes(r)).toEqual(['forward-drop']);
    expect(r.findings[0]!.decidedBy).toMatchObject({ kind: 'policy', chain: 'FORWARD', policy: 'DROP' });
    expect(r.findings[0]!.fix!.intents).toEqual([{ op: 'forward.allow', source: '10.0.0.0/24', destination: '203.0.113.2/32' }]);
    // What the fix writes, as iptables-save prints it back.
    addRule(s, null, 'filter', 'FORWARD', '-m comment --comment netloom -j NETLOOM-FORWARD', 'netloom');
    addRule(s, null, 'filter', 'NETLOOM-FORWARD', '-s 10.0.0.0/24 -d 203.0.113.2/32 -m comment --comment "netloom:abcdef01" -j ACCEPT', 'netloom');
    const replies = '-s 203.0.113.2/32 -d 10.0.0.0/24 -m conntrack --ctstate RELATED,ESTABLISHED -m comment --comment "netloom:abcdef01" -j ACCEPT';
    addRule(s, null, 'filter', 'NETLOOM-FORWARD', replies, 'netloom');
    const after = explain(s, ns1ToOutside);
    expect(after.verdict).toBe('reaches');
    expect(after.response.find((h) => h.stage === 'forward')!.decidedBy).toMatchObject({ chain: 'NETLOOM-FORWARD', spec: replies });
  });

  it('a DROP rule only for new connections lets the replies of allowed ones through (ctstate)', () => {
    const s = loadLab();
    addRule(s, null, 'filter', 'FORWARD', '-i uplink -m conntrack --ctstate NEW -j DROP');
    expect(explain(s, ns1ToOutside).verdict).toBe('reaches');
    const r = explain(s, { src: { kind: 'ns', ns: 'outside' }, dst: { kind: 'address', ip: '10.0.0.2' } });
    expect(r.verdict).toBe('blocked');
  });

  it('a host veth end down: link-down with link.set up on the host side', () => {
    const s = loadLab();
    linkDown(s, null, 'veth-ns1');
    const r = explain(s, ns1ToOutside);
    expect(r.verdict).toBe('blocked');
    expect(codes(r)).toEqual(['link-down']);
    expect(r.findings[0]!.fix!.intents).toEqual([{ op: 'link.set', name: 'veth-ns1', up: true }]);
  });

  it('TCP to a closed port arrived and was refused with a reset; UDP gets port unreachable (issue 15)', () => {
    const tcp = explain(loadLab(), { src: { kind: 'ns', ns: 'outside' }, dst: { kind: 'hostPort', port: 8080 }, proto: 'tcp' }, { listening: () => false });
    expect(tcp.verdict).toBe('blocked');
    expect(tcp.request.at(-1)).toMatchObject({ stage: 'deliver', verdict: 'drop', text: 'arrived at 10.0.0.2:80 in ns1, but nothing listens on tcp port 80: the kernel refuses it with a reset (RST): connection refused' });
    expect(tcp.summary).toContain('arrived at 10.0.0.2:80');
    expect(tcp.summary).not.toMatch(/never arrives/);
    const udp = explain(loadLab(), { src: { kind: 'ns', ns: 'ns1' }, dst: { kind: 'ns', ns: 'outside' }, proto: 'udp', port: 53 }, { listening: () => false });
    expect(udp.request.at(-1)?.text).toMatch(/^arrived at 203\.0\.113\.2:53 in outside, but nothing listens on udp port 53: the kernel answers ICMP port unreachable$/);
  });

  it('DNAT only in PREROUTING: the host cannot reach its own mapping (dnat-prerouting-only)', () => {
    const s = loadLab();
    dropRules(s, null, (spec, chain) => chain === 'OUTPUT' && spec.includes('DNAT'));
    for (const m of s.portMappings) m.localAccess = false;
    const r = explain(s, { src: { kind: 'ns', ns: 'host' }, dst: { kind: 'hostPort', port: 8080 }, proto: 'tcp' }, { listening: () => false });
    expect(r.verdict).toBe('blocked');
    expect(codes(r)).toEqual(['dnat-prerouting-only']);
    expect(r.findings[0]!.fix).toBeNull();
    expect(r.findings[0]!.manual).toContain('-j DNAT --to-destination 10.0.0.2:80');
    // Other hosts still take the mapping.
    expect(explain(s, { src: { kind: 'ns', ns: 'outside' }, dst: { kind: 'hostPort', port: 8080 }, proto: 'tcp' }).verdict).toBe('reaches');
  });

  it("netloom's own PREROUTING-only mapping is fixed by re-making it with localAccess", () => {
    const s = loadLab();
    dropRules(s, null, (spec) => spec.includes('DNAT'));
    addRule(s, null, 'nat', 'PREROUTING', '-m comment --comment netloom -j NETLOOM-PREROUTING', 'netloom');
    addRule(s, null, 'nat', 'NETLOOM-PREROUTING', '-p tcp -m addrtype --dst-type LOCAL -m tcp --dport 8080 -m comment --comment "netloom:0badcafe" -j DNAT --to-destination 10.0.0.2:80', 'netloom');
    s.portMappings = [{ ...s.portMappings[0]!, owner: 'netloom', netloomId: '0badcafe', localAccess: false, chains: ['NETLOOM-PREROUTING'] }];
    const r = explain(s, { src: { kind: 'ns', ns: 'host' }, dst: { kind: 'hostPort', port: 8080 }, proto: 'tcp' }, { listening: () => false });
    expect(codes(r)).toEqual(['dnat-prerouting-only']);
    expect(r.findings[0]!.fix!.intents).toEqual([
      { op: 'rule.remove', id: '0badcafe' },
      { op: 'portmap.add', proto: 'tcp', hostPort: 8080, targetIp: '10.0.0.2', targetPort: 80, localAccess: true },
    ]);
  });

  it('no DNAT: outside → host:8080 ends at the host where nothing listens; the fix maps it to the namespace that listens', () => {
    const s = loadLab();
    dropRules(s, null, (spec) => spec.includes('DNAT'));
    s.portMappings = [];
    const ns1 = nsId(s, 'ns1');
    const r = explain(s, { src: { kind: 'ns', ns: 'outside' }, dst: { kind: 'hostPort', port: 8080 }, proto: 'tcp' }, { listening: (ns) => ns === ns1 });
    expect(r.verdict).toBe('blocked');
    expect(codes(r)).toEqual(['no-dnat']);
    expect(r.findings[0]!.fix!.intents).toEqual([{ op: 'portmap.add', proto: 'tcp', hostPort: 8080, targetIp: '10.0.0.2', targetPort: 8080 }]);
    // Without knowing what listens, netloom does not claim either way.
    expect(explain(s, { src: { kind: 'ns', ns: 'outside' }, dst: { kind: 'hostPort', port: 8080 }, proto: 'tcp' }).verdict).toBe('unknown');
  });

  it('a host port a process holds is reported when mapping it is suggested', () => {
    const s = loadLab();
    dropRules(s, null, (spec) => spec.includes('DNAT'));
    s.portMappings = [];
    const r = explain(s, { src: { kind: 'ns', ns: 'outside' }, dst: { kind: 'hostPort', port: 8080 }, proto: 'tcp' }, { listening: () => true });
    expect(r.verdict).toBe('reaches'); // the host's own process answers
    const s2 = loadLab();
    dropRules(s2, null, (spec) => spec.includes('DNAT'));
    s2.portMappings = [];
    const host = nsId(s2, null);
    const ns1 = nsId(s2, 'ns1');
    const r2 = explain(s2, { src: { kind: 'ns', ns: 'outside' }, dst: { kind: 'hostPort', port: 8080, ip: '203.0.113.1' }, proto: 'udp' }, { listening: (ns) => ns === ns1 || (ns === host && false) });
    expect(codes(r2)).toContain('no-dnat');
  });

  it('IPv4 to IPv6: family-mismatch, nothing traced', () => {
    const r = explain(loadLab(), { src: { kind: 'ns', ns: 'ns1' }, dst: { kind: 'address', ip: 'fd00::5' } });
    expect(r.verdict).toBe('blocked');
    expect(codes(r)).toEqual(['family-mismatch']);
    expect(r.request).toEqual([]);
  });

  it('a rule netloom cannot evaluate makes the hop unknown — never a false "reaches"', () => {
    const s = loadLab();
    addRule(s, null, 'filter', 'FORWARD', '-m limit --limit 1/sec -j DROP');
    const r = explain(s, ns1ToOutside);
    expect(r.verdict).toBe('unknown');
    expect(r.request.find((h) => h.stage === 'forward')).toMatchObject({ verdict: 'unknown' });
    // The same unknown match with the outcome the policy gives anyway decides nothing: it reaches.
    const s2 = loadLab();
    addRule(s2, null, 'filter', 'FORWARD', '-m limit --limit 1/sec -j ACCEPT');
    expect(explain(s2, ns1ToOutside).verdict).toBe('reaches');
  });

  it('marks are followed: a socket sends mark 0, a MARK earlier on the path sets it', () => {
    const s = loadLab();
    addRule(s, null, 'filter', 'FORWARD', '-m mark --mark 0x1 -j DROP');
    expect(explain(s, ns1ToOutside).verdict).toBe('reaches');
    addRule(s, null, 'mangle', 'PREROUTING', '-s 10.0.0.2/32 -j MARK --set-xmark 0x1/0xffffffff');
    const r = explain(s, ns1ToOutside);
    expect(r.verdict).toBe('blocked');
    expect(codes(r)).toEqual(['forward-drop']);
  });

  it('an unknown namespace is not_found naming the field', () => {
    expect(() => explain(loadLab(), { src: { kind: 'ns', ns: 'nope' }, dst: { kind: 'ns', ns: 'outside' } })).toThrow(expect.objectContaining({ code: 'not_found', path: 'src.ns' }));
  });
});

describe('Docker-style FORWARD (policy DROP, DOCKER-USER, isolation chains)', () => {
  it('ns1 → outside is dropped in DOCKER-ISOLATION-STAGE-2: docker-isolation, fixed by an ACCEPT ahead of it', () => {
    const r = explain(loadLab('docker-forward'), ns1ToOutside);
    expect(r.verdict).toBe('blocked');
    expect(codes(r)).toEqual(['docker-isolation']);
    expect(r.findings[0]).toMatchObject({ decidedBy: { chain: 'DOCKER-ISOLATION-STAGE-2', spec: '-o uplink -j DROP' } });
    expect(r.findings[0]!.fix?.intents).toEqual([expect.objectContaining({ op: 'forward.allow', source: '10.0.0.0/24' })]);
    expect(r.findings[0]!.fix?.summary).toMatch(/^let 10\.0\.0\.0\/24 reach .* across Docker networks anyway/);
    expect(r.findings[0]!.manual).toContain('docker network connect');
  });

  it('two namespaces on one bridge with -i br0 -o br0 -j DROP: docker-icc (bridged traffic passes FORWARD)', () => {
    const r = explain(loadLab('bridge-icc'), { src: { kind: 'ns', ns: 'a' }, dst: { kind: 'ns', ns: 'b' } });
    expect(r.verdict).toBe('blocked');
    expect(codes(r)).toEqual(['docker-icc']);
    expect(drops(r)[0]).toContain('bridged');
  });

  it('a namespace on the bridge reaches the bridge address itself (routed up into the host, INPUT accepts)', () => {
    const r = explain(loadLab('bridge-icc'), { src: { kind: 'ns', ns: 'a' }, dst: { kind: 'address', ip: '172.20.0.1' } });
    expect(r.verdict).toBe('reaches');
    expect(r.request.some((h) => h.stage === 'bridge' && h.text.includes('br0'))).toBe(true);
  });
});

describe('hairpin', () => {
  it('ns1 → its own service through host:8080 without a hairpin MASQUERADE: dropped as a martian, fix MASQUERADE 10.0.0.2/32 out of veth-ns1', () => {
    const s = loadLab();
    const p = { src: { kind: 'ns', ns: 'ns1' }, dst: { kind: 'hostPort', port: 8080 }, proto: 'tcp' };
    const r = explain(s, p);
    expect(r.verdict).toBe('blocked');
    expect(drops(r)[0]).toContain('martian');
    expect(codes(r)).toEqual(['no-masquerade']);
    expect(r.findings[0]!.fix!.intents).toEqual([{ op: 'nat.masquerade.add', source: '10.0.0.2/32', outDev: 'veth-ns1' }]);
    addRule(s, null, 'nat', 'POSTROUTING', '-s 10.0.0.2/32 -o veth-ns1 -j MASQUERADE');
    const after = explain(s, p);
    expect(after.verdict).toBe('reaches');
    expect(after.response.filter((h) => h.stage === 'conntrack').map((h) => [h.src, h.dst])).toEqual([
      ['10.0.0.2:80', '10.0.0.2'],
      ['10.0.0.1:8080', '10.0.0.2'],
    ]);
  });
});

describe('address in the wrong subnet, raw table drops', () => {
  it('ns1 with 10.0.1.2/24 facing the host at 10.0.0.1/24: wrong-subnet, fix adds a free address of the far subnet', () => {
    const s = loadLab();
    const ns1 = nsId(s, 'ns1');
    const eth0 = s.interfaces.find((i) => i.ns === ns1 && i.name === 'eth0')!;
    eth0.addresses = ['10.0.1.2/24'];
    s.routes = s.routes.filter((r) => !(r.ns === ns1 && r.family === 4 && r.table === 'main'));
    s.routes.push({ ns: ns1, table: 'main', dst: '10.0.1.0/24', gateway: null, dev: eth0.id, src: '10.0.1.2', protocol: 'kernel', scope: 'link', metric: null, type: 'unicast', family: 4 });
    const r = explain(s, { src: { kind: 'ns', ns: 'ns1' }, dst: { kind: 'address', ip: '10.0.0.1' } });
    expect(r.verdict).toBe('blocked');
    expect(codes(r)).toEqual(['wrong-subnet']);
    expect(r.findings[0]!.fix!.intents).toEqual([{ op: 'addr.add', dev: 'eth0', cidr: '10.0.0.2/24', ns: 'ns1' }]);
  });

  it("a raw PREROUTING drop (Docker's guard against direct routing) stops the packet before routing", () => {
    const s = loadLab();
    s.routes.push({ ns: nsId(s, 'outside'), table: 'main', dst: '10.0.0.0/24', gateway: '203.0.113.1', dev: s.interfaces.find((i) => i.ns === nsId(s, 'outside') && i.name === 'eth0')!.id, src: null, protocol: null, scope: null, metric: null, type: 'unicast', family: 4 });
    expect(explain(s, { src: { kind: 'ns', ns: 'outside' }, dst: { kind: 'ns', ns: 'ns1' } }).verdict).toBe('reaches');
    addRule(s, null, 'raw', 'PREROUTING', '-d 10.0.0.2/32 ! -i veth-ns1 -j DROP', 'docker');
    const r = explain(s, { src: { kind: 'ns', ns: 'outside' }, dst: { kind: 'ns', ns: 'ns1' } });
    expect(r.verdict).toBe('blocked');
    expect(r.findings[0]).toMatchObject({ code: 'prerouting-drop', decidedBy: { table: 'raw', chain: 'PREROUTING' } });
    expect(r.findings[0]!.message).toContain('publish a port');
  });
});

it('a namespace endpoint with an address it does not hold is invalid, naming the field', () => {
  expect(() => explain(loadLab(), { src: { kind: 'ns', ns: 'ns1', ip: '10.0.0.9' }, dst: { kind: 'ns', ns: 'outside' } })).toThrow(expect.objectContaining({ code: 'invalid', path: 'src.ip' }));
});

describe('a real uplink (a device, no peer on this host) and clients outside the host', () => {
  function physicalUplink(): Snapshot {
    const s = loadLab();
    const up = s.interfaces.find((i) => i.ns === nsId(s, null) && i.name === 'uplink')!;
    up.kind = 'device';
    up.peer = null;
    s.routes.push({ ns: nsId(s, null), table: 'main', dst: 'default', gateway: '203.0.113.254', dev: up.id, src: null, protocol: null, scope: null, metric: null, type: 'unicast', family: 4 });
    return s;
  }

  it('ns1 → an internet address: leaves by the uplink masqueraded; the reply comes back in by it', () => {
    const r = explain(physicalUplink(), { src: { kind: 'ns', ns: 'ns1' }, dst: { kind: 'address', ip: '198.51.100.7' } });
    expect(r.verdict).toBe('reaches');
    expect(r.dst).toMatchObject({ ns: null, ip: '198.51.100.7' });
    expect(r.request.at(-1)).toMatchObject({ stage: 'uplink', src: '203.0.113.1' });
    expect(r.response.find((h) => h.stage === 'conntrack')).toMatchObject({ dst: '10.0.0.2' });
  });

  it('…without MASQUERADE a private source goes out unchanged: no-masquerade with its fix', () => {
    const s = physicalUplink();
    dropRules(s, null, (spec) => spec.includes('MASQUERADE'));
    const r = explain(s, { src: { kind: 'ns', ns: 'ns1' }, dst: { kind: 'address', ip: '198.51.100.7' } });
    expect(r.verdict).toBe('blocked');
    expect(codes(r)).toEqual(['no-masquerade']);
    expect(r.findings[0]!.fix!.intents).toEqual([{ op: 'nat.masquerade.add', source: '10.0.0.0/24', outDev: 'uplink' }]);
  });

  it('an outside client → host:8080: comes in by the uplink, DNAT to ns1, the reply leaves as the host port', () => {
    const r = explain(physicalUplink(), { src: { kind: 'address', ip: '198.51.100.7' }, dst: { kind: 'hostPort', port: 8080 }, proto: 'tcp' });
    expect(r.verdict).toBe('reaches');
    expect(r.src).toMatchObject({ ns: null });
    expect(r.response.at(-1)).toMatchObject({ stage: 'uplink', src: '203.0.113.1:8080', dst: '198.51.100.7' });
  });
});

it('127.0.0.1 as a destination is the source namespace itself (through lo)', () => {
  const s = loadLab();
  const r = explain(s, { src: { kind: 'ns', ns: 'ns1' }, dst: { kind: 'address', ip: '127.0.0.1' } });
  expect(r.dst.ns).toBe(nsId(s, 'ns1'));
  expect(r.verdict).toBe('reaches');
  linkDown(s, 'ns1', 'lo');
  expect(codes(explain(s, { src: { kind: 'ns', ns: 'ns1' }, dst: { kind: 'address', ip: '127.0.0.1' } }))).toEqual(['loopback-down']);
});

it('a shifted port range (netloom 8000-8010 → 9000-9010): host port 8005 goes to 9005', () => {
  const s = loadLab();
  addRule(s, null, 'nat', 'PREROUTING', '-p tcp -m tcp --dport 8000:8010 -j DNAT --to-destination 10.0.0.2:9000-9010/8000');
  const r = explain(s, { src: { kind: 'ns', ns: 'outside' }, dst: { kind: 'hostPort', port: 8005 }, proto: 'tcp' });
  expect(r.request.find((h) => h.stage === 'prerouting')!.dst).toBe('10.0.0.2:9005');
  expect(r.response.find((h) => h.stage === 'conntrack')!.src).toBe('203.0.113.1:8005');
});
