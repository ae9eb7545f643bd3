import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { HelperClient } from '../../protocol/src/client.js';
import type { ExplainParams } from '../../protocol/src/explain.js';
import { resetSandbox, sh } from '../sandbox.js';
import { httpd, ready } from './control-lab.js';
import type { Server } from './control-lab.js';
import { breakAndFix, buildSingleNode, explainAndProbe, startHelper } from './explain-lab.js';

// Issue 7: every failure of the single-node lab reproduced for real. For each, explain.path
// predicts "blocked" with the right finding, a real probe agrees, the finding's fix goes through
// plan.apply (journaled, like the UI's button), a real probe then gets through and explain.path
// predicts "reaches". Every prediction is checked against a probe in the same test.

const stateDir = mkdtempSync(join(tmpdir(), 'netloom-state-'));
// The CLI runs below journal here too, never in the machine's /var/lib/netloom.
process.env.NETLOOM_STATE_DIR = stateDir;
let helper: ChildProcessWithoutNullStreams;
let client: HelperClient;
const servers: Server[] = [];

const ns1ToOutside: ExplainParams = { src: { kind: 'ns', ns: 'ns1' }, dst: { kind: 'ns', ns: 'outside' } };

/** busybox httpd in ns1 on 8080, until the test ends (the server list is stopped in beforeEach). */
async function serverInNs1(): Promise<void> {
  servers.push(httpd('ns1', 'ns1', 8080));
  const up = await ready(async () => ((await sh(['ip', 'netns', 'exec', 'ns1', 'ss', '-Htln'])).includes(':8080') ? 'up' : ''));
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

describe('explain.path against real probes in the single-node lab', () => {
  it('the working lab: ns1 reaches outside through MASQUERADE, and a probe agrees', async () => {
    const { result, probe } = await explainAndProbe(client, ns1ToOutside);
    expect(result.verdict).toBe('reaches');
    expect(probe.reached).toBe(true);
    expect(probe.detail).toMatch(/^3\/3 replies/);
  });

  it('lo down in ns1: ns1 cannot reach its own address (loopback-down)', async () => {
    await sh(['ip', '-n', 'ns1', 'link', 'set', 'lo', 'down']);
    await breakAndFix(client, { src: { kind: 'ns', ns: 'ns1' }, dst: { kind: 'address', ip: '10.0.0.2' } }, 'loopback-down');
  });

  it('no default route in ns1 (no-default-route → route.add default via 10.0.0.1)', async () => {
    await sh(['ip', '-n', 'ns1', 'route', 'del', 'default']);
    const { before } = await breakAndFix(client, ns1ToOutside, 'no-default-route');
    expect(before.result.findings[0]!.fix!.intents).toEqual([{ op: 'route.add', dst: 'default', via: '10.0.0.1', ns: 'ns1' }]);
  });

  it('no MASQUERADE: the request arrives, the reply cannot come back (no-masquerade)', async () => {
    await sh(['iptables', '-t', 'nat', '-F', 'POSTROUTING']);
    const { before } = await breakAndFix(client, ns1ToOutside, 'no-masquerade');
    expect(before.result.request.at(-1)!.stage).toBe('deliver');
  });

  it('forwarding off on the host (forwarding-off)', async () => {
    await sh(['sysctl', '-qw', 'net.ipv4.ip_forward=0']);
    await breakAndFix(client, ns1ToOutside, 'forwarding-off');
  });

  it('FORWARD policy DROP with no accept (forward-drop → forward.allow)', async () => {
    await sh(['iptables', '-P', 'FORWARD', 'DROP']);
    const { before } = await breakAndFix(client, ns1ToOutside, 'forward-drop');
    expect(before.result.findings[0]!.fix!.intents[0]).toMatchObject({ op: 'forward.allow', source: '10.0.0.0/24' });
  });

  it('no DNAT: outside cannot reach the server in ns1 through host port 8080 (no-dnat → portmap.add)', async () => {
    await serverInNs1();
    const { before, after } = await breakAndFix(client, { src: { kind: 'ns', ns: 'outside' }, dst: { kind: 'hostPort', port: 8080 }, proto: 'tcp' }, 'no-dnat');
    expect(before.probe.detail).toBe('connection refused');
    expect(before.result.findings[0]!.fix!.intents).toEqual([{ op: 'portmap.add', proto: 'tcp', hostPort: 8080, targetIp: '10.0.0.2', targetPort: 8080 }]);
    expect(after.result.request.find((h) => h.stage === 'prerouting')!.dst).toBe('10.0.0.2:8080');
  });

  it('a mapping only in PREROUTING: the host cannot reach its own mapping (dnat-prerouting-only)', async () => {
    await serverInNs1();
    await client.call('plan.apply', { intents: [{ op: 'portmap.add', proto: 'tcp', hostPort: 8080, targetIp: '10.0.0.2', targetPort: 8080, localAccess: false }] });
    // Other hosts do take it…
    const outside = await explainAndProbe(client, { src: { kind: 'ns', ns: 'outside' }, dst: { kind: 'hostPort', port: 8080 }, proto: 'tcp' });
    expect(outside.result.verdict).toBe('reaches');
    // …the host itself does not, until the mapping covers OUTPUT too.
    await breakAndFix(client, { src: { kind: 'ns', ns: 'host' }, dst: { kind: 'hostPort', port: 8080 }, proto: 'tcp' }, 'dnat-prerouting-only');
  });

  it('the host end of the veth down (link-down → link.set up)', async () => {
    await sh(['ip', 'link', 'set', 'veth-ns1', 'down']);
    const { before } = await breakAndFix(client, ns1ToOutside, 'link-down');
    expect(before.result.findings[0]!.fix!.intents).toEqual([{ op: 'link.set', name: 'veth-ns1', up: true }]);
  });

  it('ns1 in the wrong subnet (wrong-subnet → an address in the host side\'s subnet)', async () => {
    await sh(['ip', '-n', 'ns1', 'addr', 'flush', 'dev', 'eth0']);
    await sh(['ip', '-n', 'ns1', 'addr', 'add', '10.0.1.2/24', 'dev', 'eth0']);
    const { before } = await breakAndFix(client, { src: { kind: 'ns', ns: 'ns1' }, dst: { kind: 'address', ip: '10.0.0.1' } }, 'wrong-subnet');
    expect(before.result.findings[0]!.fix!.intents).toEqual([{ op: 'addr.add', dev: 'eth0', cidr: '10.0.0.2/24', ns: 'ns1' }]);
  });

  it('a hairpin: ns1 reaches its own server through host port 8080 only with a MASQUERADE for the hairpin', async () => {
    await serverInNs1();
    await sh(['iptables', '-t', 'nat', '-A', 'PREROUTING', '-p', 'tcp', '--dport', '8080', '-j', 'DNAT', '--to-destination', '10.0.0.2:8080']);
    const { before } = await breakAndFix(client, { src: { kind: 'ns', ns: 'ns1' }, dst: { kind: 'hostPort', port: 8080 }, proto: 'tcp' }, 'no-masquerade');
    expect(before.result.findings[0]!.fix!.intents).toEqual([{ op: 'nat.masquerade.add', source: '10.0.0.2/32', outDev: 'veth-ns1' }]);
  });

  it('cancelling a probe ends it at once and leaves no process behind', async () => {
    await sh(['ip', 'netns', 'exec', 'ns1', 'iptables', '-A', 'OUTPUT', '-p', 'tcp', '--dport', '9', '-j', 'DROP']);
    const ac = new AbortController();
    const t0 = performance.now();
    setTimeout(() => ac.abort(), 300);
    await expect(client.call('explain.probe', { src: { kind: 'ns', ns: 'ns1' }, dst: { kind: 'ns', ns: 'outside' }, proto: 'tcp', port: 9 }, ac.signal)).rejects.toMatchObject({ code: 'cancelled' });
    expect(performance.now() - t0).toBeLessThan(1500);
    await new Promise((r) => setTimeout(r, 300));
    expect(await sh(['ps', '-eo', 'args'])).not.toContain('connectProbe');
  });

  it('a probe of an address no namespace here holds is refused unless allowOutside', async () => {
    await expect(client.call('explain.probe', { src: { kind: 'ns', ns: 'ns1' }, dst: { kind: 'address', ip: '198.51.100.7' } })).rejects.toMatchObject({ code: 'denied' });
  });
});

describe('the CLI and explain.health', () => {
  const cli = async (...args: string[]): Promise<{ code: number; out: string }> => {
    try {
      return { code: 0, out: await sh(['bin/netloom', ...args]) };
    } catch (e) {
      const err = e as { code?: number; stdout?: string };
      return { code: err.code ?? -1, out: err.stdout ?? '' };
    }
  };

  it('netloom explain ns1 outside --fix --probe: shows the fix, applies it journaled, explains again — blocked (exit 3) then reaches', async () => {
    await sh(['iptables', '-t', 'nat', '-F', 'POSTROUTING']);
    const text = await cli('explain', 'ns1', 'outside', '--probe');
    expect(text.code).toBe(3);
    expect(text.out).toContain('no-masquerade');
    expect(text.out).toContain('-A NETLOOM-POSTROUTING -s 10.0.0.0/24 -o uplink');
    expect(text.out).toContain('probe: NOT REACHED');
    const fixed = await cli('explain', 'ns1', 'outside', '--fix', '--probe', '--json');
    expect(fixed.code).toBe(0);
    const j = JSON.parse(fixed.out) as { before: { verdict: string; probe: { reached: boolean } }; applied: { planId: string }; after: { verdict: string; probe: { reached: boolean } } };
    expect([j.before.verdict, j.before.probe.reached, j.after.verdict, j.after.probe.reached]).toEqual(['blocked', false, 'reaches', true]);
    expect(j.applied.planId).not.toBe('');
    // Journaled like `netloom apply`: undo takes it back, and the path is blocked again.
    await cli('undo');
    expect((await cli('explain', 'ns1', 'outside')).code).toBe(3);
  });

  it('explain.health groups what is wrong by namespace', async () => {
    await sh(['ip', '-n', 'ns1', 'link', 'set', 'lo', 'down']);
    await sh(['sysctl', '-qw', 'net.ipv4.ip_forward=0']);
    const h = await client.call('explain.health', {});
    const of = (label: string) => h.groups.find((g) => g.label === label)?.findings.map((f) => f.code) ?? [];
    expect(of('ns1')).toEqual(['loopback-down']);
    expect(of('the host')).toContain('forwarding-off');
  });
});
