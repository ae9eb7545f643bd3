import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HelperClient } from '../../protocol/src/client.js';
import { resetSandbox, sh } from '../sandbox.js';
import type { DockerLab } from './docker-lab.js';
import { startDockerd } from './docker-lab.js';
import { breakAndFix, explainAndProbe, startHelper } from './explain-lab.js';

// Issue 7, the Docker case: two containers on a network created with icc=false cannot reach each
// other — explain says blocked with docker-icc (decided by Docker's own FORWARD rule), and a real
// ping from inside one container's namespace agrees; the finding's fix (an ACCEPT in netloom's
// FORWARD chain, ahead of Docker's) lets them through for real, and undo puts Docker's rule back
// in charge. Two containers on a normal network are the control: explain says reaches, and the
// ping gets through.

let d: DockerLab;
let helper: ChildProcessWithoutNullStreams;
let client: HelperClient;

/** The namespace id and address of a container, as the helper's snapshot shows them. */
async function container(name: string): Promise<{ ns: string; ip: string }> {
  const snap = await client.call('topology.get', {});
  const n = snap.namespaces.find((x) => x.container?.name === name);
  const ip = n?.container?.endpoints?.[0]?.ip?.split('/')[0];
  if (!n || !ip) throw new Error(`container ${name} is not in the snapshot (or has no address)`);
  return { ns: n.id, ip };
}

beforeAll(async () => {
  await resetSandbox();
  d = await startDockerd();
  await d.docker('network', 'create', '-o', 'com.docker.network.bridge.enable_icc=false', 'no-icc');
  await d.docker('network', 'create', 'with-icc');
  for (const [name, net] of [['q1', 'no-icc'], ['q2', 'no-icc'], ['w1', 'with-icc'], ['w2', 'with-icc']] as const) {
    await d.docker('run', '-d', '--name', name, '--network', net, 'bb:local', 'sleep', '300');
  }
  ({ helper, client } = await startHelper({ NETLOOM_STATE_DIR: mkdtempSync(join(tmpdir(), 'netloom-state-')), DOCKER_HOST: `unix://${d.socket}` }));
}, 90_000);

afterAll(async () => {
  if (helper && helper.exitCode === null) helper.kill('SIGKILL');
  await d?.stop();
  await resetSandbox();
  // dockerd turned these on; the next test file starts from the sandbox's defaults.
  await sh(['iptables', '-P', 'FORWARD', 'ACCEPT']);
  await sh(['sysctl', '-qw', 'net.ipv4.ip_forward=0']);
}, 60_000);

describe('explain.path with Docker networks', () => {
  it('icc=false: two containers of one network cannot reach each other (docker-icc), a real ping agrees; the fix lets them, for real', async () => {
    const [a, b] = [await container('q1'), await container('q2')];
    const { before } = await breakAndFix(client, { src: { kind: 'ns', ns: a.ns }, dst: { kind: 'address', ip: b.ip } }, 'docker-icc');
    expect(before.result.findings.map((f) => f.code)).toEqual(['docker-icc']);
    expect(before.result.findings[0]!.manual).toContain('enable_icc');
    await client.call('plan.undo', {});
    const again = await explainAndProbe(client, { src: { kind: 'ns', ns: a.ns }, dst: { kind: 'address', ip: b.ip } });
    expect(again.result.verdict).toBe('blocked');
  });

  it('the control: two containers of a network with icc reach each other, and a real ping agrees', async () => {
    const [a, b] = [await container('w1'), await container('w2')];
    const { result, probe } = await explainAndProbe(client, { src: { kind: 'ns', ns: a.ns }, dst: { kind: 'address', ip: b.ip } });
    expect(result.verdict, result.summary).toBe('reaches');
    expect(probe.reached).toBe(true);
  });

  it('containers of two Docker networks are kept apart by the isolation chains (docker-isolation); the fix lets the pair through, for real', async () => {
    const [a, b] = [await container('q1'), await container('w1')];
    const { before } = await breakAndFix(client, { src: { kind: 'ns', ns: a.ns }, dst: { kind: 'address', ip: b.ip } }, 'docker-isolation');
    expect(before.result.findings.map((f) => f.code)).toEqual(['docker-isolation']);
    await client.call('plan.undo', {});
  });
});
