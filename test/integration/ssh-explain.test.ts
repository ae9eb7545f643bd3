import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HelperClient } from '../../protocol/src/client.js';
import type { ExplainResult } from '../../protocol/src/explain.js';
import type { Snapshot } from '../../protocol/src/snapshot.js';
import { resetSandbox } from '../sandbox.js';
import { openServeSession, serveClient } from './serve-session.js';
import type { SshHost, SshLab } from './ssh-lab.js';
import { startVxlanLab } from './vxlan-lab.js';

// Explain across hosts (issue 14): app-a on host a to app-b on host b over their VXLAN, asked of
// `netloom serve --host hosta=… --host hostb=…`; both hosts' hops in order, encapsulation and
// decapsulation as hops; a firewall rule on host b shows as host b's finding.

const bundle = join(__dirname, '..', '..', 'out/helper/netloom.cjs');
let lab: SshLab;
let serve: ChildProcessWithoutNullStreams;
let client: HelperClient;
let merged: Snapshot;

beforeAll(async () => {
  if (!existsSync(bundle)) throw new Error('build first: node scripts/build.mjs --helper-only');
  await resetSandbox();
  lab = await startVxlanLab();
  const [a, b] = lab.hosts as [SshHost, SshHost];
  // serve in a PID namespace of its own: the hosts' processes (which the sandbox sees) are not also
  // read as this machine's process namespaces, whose copies of vx42 would join the tunnels too.
  serve = spawn('unshare', ['--pid', '--fork', '--kill-child', '--mount-proc', '--', process.execPath, bundle, 'serve', '--port', '0', '--no-open', '--ssh-config', lab.config, '--host', `hosta=root@${a.addr}`, '--host', `hostb=root@${b.addr}`], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, NETLOOM_STATE_DIR: join(lab.dir, 'state-local') } });
  client = await serveClient(await openServeSession(serve));
  for (let i = 0; i < 200; i++) {
    merged = await client.call('topology.get', {});
    if (merged.hosts?.filter((h) => h.state === 'live').length === 3) break;
    await new Promise((r) => setTimeout(r, 100));
  }
});
afterAll(async () => {
  client?.close();
  if (serve && serve.exitCode === null) {
    // unshare blocks SIGTERM while it waits; SIGKILL ends it and (--kill-child) serve.
    serve.kill('SIGKILL');
    await new Promise((r) => serve.once('exit', r));
  }
  await lab?.close();
  await resetSandbox();
});

const nsOf = (host: string, name: string) => merged.namespaces.find((n) => n.name === name && n.id.startsWith(`host:${host}/`))?.id ?? '';
const explain = () => client.call('explain.path', { src: { kind: 'ns', ns: nsOf('hosta', 'app-a') }, dst: { kind: 'ns', ns: nsOf('hostb', 'app-b') } }) as Promise<ExplainResult>;

describe('Explain across hosts', () => {
  it('app-a on host a → app-b on host b reaches: a\'s hops, encapsulation, decapsulation, b\'s hops, and the reply back', async () => {
    const r = await explain();
    expect(r.verdict).toBe('reaches');
    const texts = r.request.map((h) => h.text);
    const enc = texts.findIndex((t) => t.startsWith('encapsulated by vx42 (VXLAN VNI 42, 10.77.0.2 → 10.77.0.3'));
    const dec = texts.findIndex((t) => t.startsWith('decapsulated by vx42'));
    expect(enc).toBeGreaterThan(0);
    expect(dec).toBe(enc + 1);
    expect(r.request.slice(0, enc + 1).every((h) => h.ns.startsWith('host:hosta/'))).toBe(true);
    expect(r.request.slice(dec).every((h) => h.ns.startsWith('host:hostb/'))).toBe(true);
    expect(r.request.at(-1)).toMatchObject({ stage: 'deliver', ns: nsOf('hostb', 'app-b') });
    expect(r.response.at(-1)).toMatchObject({ stage: 'deliver', ns: nsOf('hosta', 'app-a') });
    expect(r.summary).toMatch(/^app-a \(10\.42\.0\.1\) on hosta → app-b \(10\.42\.0\.2\) on hostb: reaches \(through vxlan VNI 42\)/);
  });

  it('a DROP in app-b\'s INPUT on host b: blocked, and the finding is host b\'s', async () => {
    const b = lab.hosts[1] as SshHost;
    await b.run(['ip', 'netns', 'exec', 'app-b', 'iptables', '-A', 'INPUT', '-s', '10.42.0.1', '-j', 'DROP']);
    for (let i = 0; i < 100; i++) {
      merged = await client.call('topology.get', {});
      if (merged.rules.some((r) => r.ns === nsOf('hostb', 'app-b') && r.spec.includes('DROP'))) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const r = await explain();
    expect(r.verdict).toBe('blocked');
    const drop = r.request.find((h) => h.verdict === 'drop');
    expect(drop).toMatchObject({ stage: 'input', ns: nsOf('hostb', 'app-b') });
    expect(r.findings.some((f) => (f.ns ?? '').startsWith('host:hostb/'))).toBe(true);
  });
});
