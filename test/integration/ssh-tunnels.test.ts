import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Snapshot } from '../../protocol/src/snapshot.js';
import { resetSandbox } from '../sandbox.js';
import type { SshHost, SshLab } from './ssh-lab.js';
import { startVxlanLab } from './vxlan-lab.js';
import { bundle, netloom } from './netloom-cli.js';

// A VXLAN between two hosts over ssh (issue 14): a bridge with a namespace on each side, a ping
// across it, both hosts read with `netloom --host`, `netloom --host a --host b snapshot` one canvas with the tunnel as an edge
// between both hosts' devices, counters on both ends; a VXLAN to an address no host holds ends
// at "remote 192.0.2.7". NETLOOM_WRITE_FIXTURES=1 keeps both snapshots as the unit tests' fixtures.

const root = join(__dirname, '..', '..');
let lab: SshLab;


async function snapshotOver(h: SshHost): Promise<string> {
  const r = await netloom(['--ssh-config', lab.config, '--host', `root@${h.addr}`, 'snapshot']);
  if (r.code !== 0) throw new Error(`exit ${r.code}: ${r.stderr}`);
  return r.stdout;
}

beforeAll(async () => {
  if (!existsSync(bundle)) throw new Error('build first: node scripts/build.mjs --helper-only');
  await resetSandbox();
  lab = await startVxlanLab();
});
afterAll(async () => {
  await lab?.close();
  await resetSandbox();
});

describe('a VXLAN between two hosts', () => {
  it('carries a ping; on one canvas it is an edge between both hosts\' vx42 (counters on both ends), vx7 ends at remote 192.0.2.7', async () => {
    const [a, b] = lab.hosts as [SshHost, SshHost];
    const ping = await a.run(['ip', 'netns', 'exec', 'app-a', 'ping', '-c', '3', '-i', '0.2', '-W', '2', '10.42.0.2']);
    expect(ping).toMatch(/3 received/);
    if (process.env.NETLOOM_WRITE_FIXTURES === '1') {
      const [ta, tb] = await Promise.all([snapshotOver(a), snapshotOver(b)]);
      writeFileSync(join(root, 'test/fixtures/tunnels/host-a.snapshot.json'), ta);
      writeFileSync(join(root, 'test/fixtures/tunnels/host-b.snapshot.json'), tb);
    }
    // One snapshot of both hosts and of a third that refuses ssh (nothing listens on its port).
    const r = await netloom(['--ssh-config', lab.config, '--host', `hosta=root@${a.addr}`, '--host', `hostb=root@${b.addr}`, '--host', `gone=root@${a.addr}:2222`, 'snapshot']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/gone: cannot reach root@10\.77\.0\.2:2222 over ssh \(.*Connection refused\)/);
    const merged = Snapshot.parse(JSON.parse(r.stdout));
    expect(merged.hosts?.map((h) => [h.name, h.hostname, h.state])).toEqual([
      ['hosta', 'hosta', 'live'],
      ['hostb', 'hostb', 'live'],
      ['gone', null, 'failed'],
    ]);
    const dev = (host: string, name: string) => {
      const i = merged.interfaces.find((x) => x.id.startsWith(`host:${host}/`) && x.name === name && x.tunnel !== undefined);
      if (!i) throw new Error(`${name} on ${host}`);
      return i;
    };
    const [va, vb] = [dev('hosta', 'vx42'), dev('hostb', 'vx42')];
    const e42 = merged.tunnels?.find((t) => t.vni === 42);
    expect(e42).toMatchObject({ type: 'vxlan', b: expect.any(String) });
    expect(new Set([e42?.a, e42?.b])).toEqual(new Set([va.id, vb.id]));
    // The ping crossed it: both ends sent and received.
    for (const v of [va, vb]) {
      expect(v.stats?.txPackets ?? 0).toBeGreaterThanOrEqual(3);
      expect(v.stats?.rxPackets ?? 0).toBeGreaterThanOrEqual(3);
    }
    const e100 = merged.tunnels?.find((t) => t.vni === 100);
    expect(new Set([e100?.a, e100?.b])).toEqual(new Set([dev('hosta', 'vx100').id, dev('hostb', 'vx100').id]));
    expect(dev('hosta', 'vx100').tunnel?.fdb).toEqual([{ mac: '00:00:00:00:00:00', dst: b.addr }]);
    const off = merged.tunnels?.filter((t) => t.vni === 7) ?? [];
    expect(off.map((t) => [t.a, t.b, t.remote])).toEqual([
      [dev('hosta', 'vx7').id, null, '192.0.2.7'],
      [dev('hostb', 'vx7').id, null, '192.0.2.7'],
    ]);
    // Explain on host a, over ssh: the ping's path leaves through the tunnel and its reply comes back out of it.
    const ex = await netloom(['--ssh-config', lab.config, '--host', `root@${a.addr}`, 'explain', 'app-a', '10.42.0.2', '--json']);
    expect(ex.code).toBe(0);
    const why = JSON.parse(ex.stdout) as { verdict: string; request: { text: string }[]; response: { text: string }[] };
    expect(why.verdict).toBe('reaches');
    expect(why.request.at(-1)?.text).toBe(`encapsulated by vx42 (VXLAN VNI 42, ${a.addr} → ${b.addr} udp/4789): 10.42.0.2 is beyond the tunnel, outside this host`);
    expect(why.response[0]?.text).toBe('decapsulated by vx42 (VXLAN VNI 42): it comes in from beyond the tunnel');
    expect(merged.namespaces.filter((n) => n.name === 'app-a' || n.name === 'app-b').map((n) => n.id.split('/')[0]).sort()).toEqual(['host:hosta', 'host:hostb']);
  });
});
