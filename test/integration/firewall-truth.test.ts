import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { HelperClient } from '../../protocol/src/client.js';
import type { ExplainParams, ExplainResult } from '../../protocol/src/explain.js';
import { resetSandbox, sh } from '../sandbox.js';
import { httpd, ready } from './control-lab.js';
import type { Server } from './control-lab.js';
import { buildSingleNode, explainAndProbe, startHelper } from './explain-lab.js';

// Issue 12: the cases where Explain said "reaches" and the kernel dropped the packet — a listener
// bound to another address, policy routing, rp_filter, a mangle DROP, a drop only nftables holds,
// legacy iptables beside iptables-nft, route_localnet — each built for real in the sandbox. Every
// prediction is checked by a real probe in the same test (explainAndProbe fails on a disagreement),
// and the finding must name what really decided.

const stateDir = mkdtempSync(join(tmpdir(), 'netloom-state-'));
let helper: ChildProcessWithoutNullStreams;
let client: HelperClient;
const servers: Server[] = [];

const ns1ToOutside: ExplainParams = { src: { kind: 'ns', ns: 'ns1' }, dst: { kind: 'ns', ns: 'outside' } };
const codes = (r: ExplainResult) => r.findings.map((f) => f.code);

async function serve(ns: string, port: number, bind?: string): Promise<void> {
  servers.push(httpd(ns, ns, port, bind));
  const up = await ready(async () => ((await sh(['ip', 'netns', 'exec', ns, 'ss', '-Htln'])).includes(`:${port} `) ? 'up' : ''));
  expect(up).toBe('up');
}

beforeAll(async () => {
  await resetSandbox();
  ({ helper, client } = await startHelper({ NETLOOM_STATE_DIR: stateDir }));
}, 60_000);

beforeEach(async () => {
  for (const s of servers.splice(0)) s.stop();
  await resetSandbox();
  await sh(['sysctl', '-qw', 'net.ipv4.ip_forward=0']);
  await sh(['iptables', '-P', 'FORWARD', 'ACCEPT']);
  await buildSingleNode();
});

afterAll(async () => {
  for (const s of servers.splice(0)) s.stop();
  if (helper.exitCode === null) helper.kill('SIGKILL');
  await resetSandbox();
});

describe('a listener bound to another address of the destination', () => {
  it('httpd on 10.0.0.13:80 only: to 10.0.0.2:80 is refused (listener-bound), to 10.0.0.13:80 it reaches', async () => {
    await sh(['ip', '-n', 'ns1', 'addr', 'add', '10.0.0.13/24', 'dev', 'eth0']);
    await serve('ns1', 80, '10.0.0.13');
    const other = await explainAndProbe(client, { src: { kind: 'ns', ns: 'host' }, dst: { kind: 'address', ip: '10.0.0.2' }, proto: 'tcp', port: 80 });
    expect(other.result.verdict).toBe('blocked');
    expect(codes(other.result)).toEqual(['listener-bound']);
    expect(other.result.findings[0]!.message).toContain('10.0.0.13');
    const bound = await explainAndProbe(client, { src: { kind: 'ns', ns: 'host' }, dst: { kind: 'address', ip: '10.0.0.13' }, proto: 'tcp', port: 80 });
    expect(bound.result.verdict).toBe('reaches');
  });
});

describe('policy routing (ip rule)', () => {
  for (const type of ['blackhole', 'unreachable'] as const) {
    it(`in the source namespace: every lookup goes to table 100, whose default is ${type}`, async () => {
      await sh(['ip', '-n', 'ns1', 'route', 'add', type, 'default', 'table', '100']);
      await sh(['ip', '-n', 'ns1', 'rule', 'add', 'priority', '100', 'lookup', '100']);
      const { result } = await explainAndProbe(client, ns1ToOutside);
      expect(result.verdict).toBe('blocked');
      expect(codes(result)[0]).toBe('policy-routing');
      expect(result.request.find((h) => h.verdict === 'drop')?.decidedBy).toMatchObject({ kind: 'route', table: '100' });
    });
  }

  it('in the host: traffic from 10.0.0.0/24 is sent to a table with an unreachable default', async () => {
    await sh(['ip', 'route', 'add', 'unreachable', 'default', 'table', '100']);
    await sh(['ip', 'rule', 'add', 'from', '10.0.0.0/24', 'lookup', '100', 'priority', '100']);
    await sh(['sysctl', '-qw', 'net.ipv4.ip_forward=1']);
    const { result } = await explainAndProbe(client, ns1ToOutside);
    expect(result.verdict).toBe('blocked');
    expect(codes(result)[0]).toBe('policy-routing');
    expect(result.findings[0]!.message).toContain('from 10.0.0.0/24 lookup 100');
  });

  // ns2 (10.0.0.3) beside ns1 on a bridge; ns1's rule sends 203.0.113.0/24 to table 101, default via ns2.
  // Each state is built from scratch: right after forwarding is switched on, the kernel takes a moment
  // (redirects, neighbours) before packets pass, which is not what is being tested here.
  async function viaNs2(forwarding: boolean): Promise<ExplainResult> {
    for (const line of [
      'ip link add br0 type bridge',
      'ip link set br0 up',
      'ip link set veth-ns1 nomaster',
      'ip addr del 10.0.0.1/24 dev veth-ns1',
      'ip addr add 10.0.0.1/24 dev br0',
      'ip link set veth-ns1 master br0',
      'ip netns add ns2',
      'ip link add veth-ns2 type veth peer name eth0 netns ns2',
      'ip link set veth-ns2 master br0',
      'ip link set veth-ns2 up',
      'ip -n ns2 addr add 10.0.0.3/24 dev eth0',
      'ip -n ns2 link set eth0 up',
      'ip -n ns2 link set lo up',
      'ip -n ns2 route add default via 10.0.0.1',
      `ip netns exec ns2 sysctl -qw net.ipv4.ip_forward=${forwarding ? 1 : 0}`,
      'ip -n ns1 route add default via 10.0.0.3 table 101',
      'ip -n ns1 rule add to 203.0.113.0/24 lookup 101 priority 100',
      'sysctl -qw net.ipv4.ip_forward=1',
    ]) {
      await sh(line.split(' '));
    }
    await ready(async () => ((await sh(['ip', 'link', 'show', 'br0'])).includes('NO-CARRIER') ? '' : 'up'));
    return (await explainAndProbe(client, ns1ToOutside)).result;
  }

  it('a rule that sends the traffic to another gateway that does not forward: blocked there, the rule named', async () => {
    const r = await viaNs2(false);
    expect(r.verdict).toBe('blocked');
    expect(codes(r)).toContain('forwarding-off');
    expect(codes(r)).toContain('policy-routing');
    const dropAt = r.request.find((h) => h.verdict === 'drop')!;
    expect(r.findings.find((f) => f.code === 'forwarding-off')?.ns).toBe(dropAt.ns);
    expect(r.request.find((h) => h.stage === 'route')?.text).toContain('policy rule 100: from all to 203.0.113.0/24 lookup 101');
  });

  it('the same rule with forwarding on there: still blocked — the host met the connection bridged first, so its MASQUERADE never applies', async () => {
    // Found by the probe, not guessed: ns1 → ns2 crosses br0 (br_netfilter: the host's conntrack sees
    // it, no NAT), then ns2 → host is routed — the same connection, NAT already decided: the request
    // leaves the uplink as 10.0.0.2 and the reply has no way back (tcpdump on the uplink shows it).
    const r = await viaNs2(true);
    expect(r.verdict).toBe('blocked');
    expect(codes(r)[0]).toBe('policy-routing');
    expect(codes(r)).toContain('nat-skipped');
    expect(codes(r)).not.toContain('no-masquerade');
    expect(r.request.some((h) => h.stage === 'forward' && h.text.includes('FORWARD'))).toBe(true);
  });
});

describe('reverse-path filtering', () => {
  // ns1 also owns 192.168.50.2; the host routes 192.168.50.0/24 out of its uplink. A packet from
  // 192.168.50.2 coming in on veth-ns1 has its way back elsewhere: strict rp_filter drops it.
  async function asymmetric(mode: number): Promise<ExplainResult> {
    await sh(['ip', '-n', 'ns1', 'addr', 'add', '192.168.50.2/32', 'dev', 'eth0']);
    await sh(['ip', 'route', 'add', '192.168.50.0/24', 'via', '203.0.113.2']);
    await sh(['sysctl', '-qw', 'net.ipv4.ip_forward=1', `net.ipv4.conf.all.rp_filter=${mode}`, `net.ipv4.conf.veth-ns1.rp_filter=${mode}`]);
    const { result } = await explainAndProbe(client, { src: { kind: 'ns', ns: 'ns1', ip: '192.168.50.2' }, dst: { kind: 'address', ip: '203.0.113.2' } });
    return result;
  }

  it('rp_filter=1 (strict): dropped as it comes in on veth-ns1, named as rp-filter', async () => {
    const r = await asymmetric(1);
    expect(r.verdict).toBe('blocked');
    expect(codes(r)[0]).toBe('rp-filter');
    expect(r.findings[0]!.message).toMatch(/uplink/);
  });

  it('rp_filter=2 and 0 let it in: whatever stops it then, it is not the filter', async () => {
    for (const mode of [2, 0]) {
      await resetSandbox();
      await buildSingleNode();
      const r = await asymmetric(mode);
      expect(codes(r)).not.toContain('rp-filter');
    }
  });
});

describe('rules outside the filter table and outside iptables-nft', () => {
  it('a DROP in the mangle table', async () => {
    await sh(['iptables', '-t', 'mangle', '-A', 'FORWARD', '-d', '203.0.113.2', '-j', 'DROP']);
    await sh(['sysctl', '-qw', 'net.ipv4.ip_forward=1']);
    const { result } = await explainAndProbe(client, ns1ToOutside);
    expect(result.verdict).toBe('blocked');
    expect(result.findings[0]).toMatchObject({ code: 'forward-drop', decidedBy: { kind: 'rule', table: 'mangle', chain: 'FORWARD' } });
  });

  it('a drop only nftables holds (podman issue 24486): iptables accepts, an inet table at the forward hook drops', async () => {
    await sh(['iptables', '-A', 'FORWARD', '-d', '203.0.113.2', '-j', 'ACCEPT']);
    await sh(['nft', 'add', 'table', 'inet', 'f']);
    await sh(['nft', 'add', 'chain', 'inet', 'f', 'fw', '{ type filter hook forward priority 0; policy drop; }']);
    await sh(['sysctl', '-qw', 'net.ipv4.ip_forward=1']);
    const { result } = await explainAndProbe(client, ns1ToOutside);
    expect(result.verdict).toBe('blocked');
    expect(result.findings[0]).toMatchObject({ code: 'forward-drop', fix: null, decidedBy: { kind: 'policy', backend: 'nftables', family: 'inet', table: 'f', chain: 'fw' } });
    expect(result.findings[0]!.manual).toContain('nft insert rule inet f fw');
    // iptables' accept is on the path too: it ends only its own chain.
    expect(result.request.some((h) => h.verdict === 'pass' && h.text.includes('-A FORWARD -d 203.0.113.2/32 -j ACCEPT'))).toBe(true);
  });

  it('an accept in the nft table lets it through (the finding says where)', async () => {
    await sh(['nft', 'add', 'table', 'inet', 'f']);
    await sh(['nft', 'add', 'chain', 'inet', 'f', 'fw', '{ type filter hook forward priority 0; policy drop; }']);
    await sh(['nft', 'add', 'rule', 'inet', 'f', 'fw', 'ct', 'state', 'established,related', 'accept']);
    await sh(['nft', 'add', 'rule', 'inet', 'f', 'fw', 'ip', 'saddr', '10.0.0.0/24', 'ip', 'daddr', '203.0.113.2', 'accept']);
    await sh(['sysctl', '-qw', 'net.ipv4.ip_forward=1']);
    const { result } = await explainAndProbe(client, ns1ToOutside);
    expect(result.verdict).toBe('reaches');
  });

  it('legacy iptables beside iptables-nft: a legacy DROP is final though iptables-nft accepts', async () => {
    await sh(['iptables-legacy', '-A', 'FORWARD', '-d', '203.0.113.2', '-j', 'DROP']);
    await sh(['iptables', '-A', 'FORWARD', '-d', '203.0.113.2', '-j', 'ACCEPT']);
    await sh(['sysctl', '-qw', 'net.ipv4.ip_forward=1']);
    const { result } = await explainAndProbe(client, ns1ToOutside);
    expect(result.verdict).toBe('blocked');
    expect(result.findings[0]).toMatchObject({ code: 'forward-drop', decidedBy: { kind: 'rule', backend: 'legacy' } });
    expect(result.findings[0]!.manual).toContain('iptables-legacy');
    const snap = await client.call('topology.get', {});
    expect(snap.notices?.some((n) => /legacy iptables/.test(n.message) && /forward/.test(n.message))).toBe(true);
  });
});

describe('an OUTPUT drop in the source namespace', () => {
  it('is output-drop, not input-drop', async () => {
    await sh(['ip', 'netns', 'exec', 'ns1', 'iptables', '-A', 'OUTPUT', '-d', '203.0.113.2', '-j', 'DROP']);
    await sh(['sysctl', '-qw', 'net.ipv4.ip_forward=1']);
    const { result } = await explainAndProbe(client, ns1ToOutside);
    expect(result.verdict).toBe('blocked');
    expect(codes(result)[0]).toBe('output-drop');
  });
});

describe('the host to 127.0.0.1 through a DNAT', () => {
  it('needs route_localnet: blocked and named without it; reaches with it and the 127.0.0.0/8 MASQUERADE', async () => {
    await serve('ns1', 80);
    await sh(['iptables', '-t', 'nat', '-A', 'OUTPUT', '-d', '127.0.0.1/32', '-p', 'tcp', '--dport', '8080', '-j', 'DNAT', '--to-destination', '10.0.0.2:80']);
    await sh(['iptables', '-t', 'nat', '-A', 'POSTROUTING', '-s', '127.0.0.0/8', '-d', '10.0.0.2/32', '-j', 'MASQUERADE']);
    const p: ExplainParams = { src: { kind: 'ns', ns: 'host' }, dst: { kind: 'address', ip: '127.0.0.1' }, proto: 'tcp', port: 8080 };
    const off = await explainAndProbe(client, p);
    expect(off.result.verdict).toBe('blocked');
    expect(codes(off.result)[0]).toBe('route-localnet');
    await sh(['sysctl', '-qw', 'net.ipv4.conf.all.route_localnet=1']);
    const on = await explainAndProbe(client, p);
    expect(on.result.verdict).toBe('reaches');
  });
});
