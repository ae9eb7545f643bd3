import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HelperClient } from '../../protocol/src/client.js';
import type { ExplainResult, ProbeResult } from '../../protocol/src/explain.js';
import type { Snapshot } from '../../protocol/src/snapshot.js';
import { resetSandbox } from '../sandbox.js';
import { openServeSession, serveClient } from './serve-session.js';
import type { SshHost, SshLab } from './ssh-lab.js';
import { startVxlanLab } from './vxlan-lab.js';
import { bundle, netloom } from './netloom-cli.js';

// `netloom --host hosta=… --host hostb=… explain app-a@hosta app-b@hostb [--probe [--trace]]`
// (issue 14): the CLI's Explain across hosts over the real two-sshd VXLAN lab, and the probe sent
// on host a and observed on host b — then a DROP on host b, which the probe's trace names. The
// same probe through `netloom serve`'s router (the page's "probe it"), cancelled, and cut off by
// a dropped ssh link: nothing is left behind on either host.

let lab: SshLab;
let a: SshHost;
let b: SshHost;

const both = (...args: string[]) => netloom(['--ssh-config', lab.config, '--host', `hosta=root@${a.addr}`, '--host', `hostb=root@${b.addr}`, ...args]);
type Answer = ExplainResult & { probe: ProbeResult | null; probeError?: string };
/** No trace table, no nft, no helper (`helper: true`: of the CLI's, gone with it) left on a host; asked for up to 3 s. */
async function leftovers(h: SshHost, helper = true): Promise<string> {
  let left = '';
  for (let i = 0; i < 30; i++) {
    const tables = (await h.run(['nft', 'list', 'tables'])).split('\n').filter((l) => l.includes('netloom'));
    const procs = (await h.run(['ps', '-eo', 'args'])).split('\n').filter((l) => /^(\S*\/)?(nft|setpriv)\b/.test(l) || (helper && /netloom(-core)?\.cjs/.test(l)));
    left = [...tables, ...procs].join('\n');
    if (left === '') return '';
    await new Promise((r) => setTimeout(r, 100));
  }
  return left;
}

beforeAll(async () => {
  if (!existsSync(bundle)) throw new Error('build first: node scripts/build.mjs --helper-only');
  await resetSandbox();
  lab = await startVxlanLab();
  [a, b] = lab.hosts as [SshHost, SshHost];
});
let serve: ChildProcessWithoutNullStreams | undefined;
let client: HelperClient | undefined;
afterAll(async () => {
  client?.close();
  if (serve && serve.exitCode === null) {
    // unshare blocks SIGTERM while it waits; SIGKILL ends it and (--kill-child) serve.
    serve.kill('SIGKILL');
    await new Promise((r) => serve?.once('exit', r));
  }
  await lab?.close();
  await resetSandbox();
});

/** `netloom serve --host hosta=… --host hostb=…` in a PID namespace of its own (ssh-explain.test.ts says why). */
async function router(): Promise<{ client: HelperClient; ns: (host: string, name: string) => string }> {
  if (!client) {
    serve = spawn('unshare', ['--pid', '--fork', '--kill-child', '--mount-proc', '--', process.execPath, bundle, 'serve', '--port', '0', '--no-open', '--ssh-config', lab.config, '--host', `hosta=root@${a.addr}`, '--host', `hostb=root@${b.addr}`], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, NETLOOM_STATE_DIR: join(lab.dir, 'state-local') } });
    client = await serveClient(await openServeSession(serve));
  }
  let merged: Snapshot | undefined;
  for (let i = 0; i < 200; i++) {
    merged = await client.call('topology.get', {});
    if (merged.hosts?.filter((h) => h.state === 'live').length === 3) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const m = merged;
  return { client, ns: (host, name) => m?.namespaces.find((n) => n.name === name && n.id.startsWith(`host:${host}/`))?.id ?? '' };
}
const probeParams = (ns: (host: string, name: string) => string) => ({ src: { kind: 'ns' as const, ns: ns('hosta', 'app-a') }, dst: { kind: 'ns' as const, ns: ns('hostb', 'app-b') }, proto: 'icmp' as const, trace: true });
/** Until host b's trace table is there (its half of a probe is being observed). */
async function whileObserving(): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if ((await b.run(['nft', 'list', 'tables'])).includes('netloom-trace')) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('host b never traced');
}

describe('netloom --host a --host b explain across hosts', () => {
  it('app-a@hosta → app-b@hostb: a\'s hops, encapsulation, decapsulation, b\'s hops, in text and JSON', async () => {
    const t = await both('explain', 'app-a@hosta', 'app-b@hostb');
    expect(t.stderr).toBe('');
    expect(t.code).toBe(0);
    expect(t.stdout).toMatch(/^app-a \(10\.42\.0\.1\) on hosta → app-b \(10\.42\.0\.2\) on hostb: reaches \(through vxlan VNI 42\)/);
    const lines = t.stdout.split('\n');
    const enc = lines.findIndex((l) => l.includes('encapsulated by vx42 (VXLAN VNI 42, 10.77.0.2 → 10.77.0.3'));
    const dec = lines.findIndex((l) => l.includes('decapsulated by vx42'));
    expect(enc).toBeGreaterThan(0);
    expect(dec).toBe(enc + 1);
    expect(lines[enc]).toContain('on hosta]');
    expect(lines[dec]).toContain('on hostb]');
    expect(lines.find((l) => l.includes('deliver') && l.includes('[app-b on hostb]'))).toBeDefined();
    const j = JSON.parse((await both('explain', 'app-a@hosta', 'app-b@hostb', '--json')).stdout) as Answer;
    expect(j.verdict).toBe('reaches');
    expect(j.request[0]?.ns).toMatch(/^host:hosta\//);
    expect(j.request.at(-1)).toMatchObject({ stage: 'deliver' });
    expect(j.request.at(-1)?.ns).toMatch(/^host:hostb\//);
    expect(j.response.at(-1)?.ns).toMatch(/^host:hosta\//);
    expect(j.probe).toBeNull();
  });

  it('clear errors: an unknown host, a namespace that host does not have, a host that cannot be reached (which, and why)', async () => {
    const unknown = await both('explain', 'app-a@hosta', 'app-b@hostc');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('dst: no --host is called "hostc" (the hosts: hosta, hostb)');
    const notThere = await both('explain', 'app-b@hosta', 'app-b@hostb');
    expect(notThere.code).toBe(2);
    expect(notThere.stderr).toContain('src: host hosta has no namespace "app-b" (its namespaces: app-a, host)');
    const noHost = await both('explain', 'app-a', 'app-b@hostb');
    expect(noHost.code).toBe(2);
    expect(noHost.stderr).toContain('say which host holds the namespace: NAMESPACE@HOST');
    // Nothing listens on port 2 of host b: ssh is refused there, and host a is fine.
    const down = await netloom(['--ssh-config', lab.config, '--host', `hosta=root@${a.addr}`, '--host', `hostb=root@${b.addr}:2`, 'explain', 'app-a@hosta', 'app-b@hostb']);
    expect(down.code).toBe(255);
    expect(down.stderr).toMatch(/cannot reach hostb \(root@10\.77\.0\.3\): .*refused/);
    expect(down.stderr).not.toContain('hosta (');
  });

  it('--probe: the ping leaves app-a on host a, host b sees it reach app-b and the reply leave; nothing left behind', async () => {
    const r = await both('explain', 'app-a@hosta', 'app-b@hostb', '--probe', '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as Answer;
    expect(j.probe?.reached).toBe(true);
    expect(j.probe?.command).toMatch(/^on hosta: .*ping -n -c 3 .*10\.42\.0\.2$/);
    expect(j.probe?.detail).toMatch(/^3\/3 replies.*; hostb saw the request reach the destination \(3 packet\(s\)\) and the reply leave$/);
    expect(j.probe?.traced?.namespaces.some((n) => n.startsWith('host:hostb/'))).toBe(true);
    expect(await leftovers(a)).toBe('');
    expect(await leftovers(b)).toBe('');
  });

  it('through the router (the page\'s "probe it"): the same probe reaches; cancelled mid-way, it leaves nothing on either host', async () => {
    const { client: c, ns } = await router();
    const p = await c.call('explain.probe', probeParams(ns));
    expect(p.reached).toBe(true);
    expect(p.command).toMatch(/^on hosta: /);
    expect(p.detail).toMatch(/hostb saw the request reach the destination \(3 packet\(s\)\) and the reply leave$/);
    expect(p.traced?.namespaces.some((n) => n.startsWith('host:hostb/'))).toBe(true);
    const ac = new AbortController();
    const running = c.call('explain.probe', probeParams(ns), ac.signal).then(() => 'done', (e: { code?: string }) => e.code);
    await whileObserving();
    ac.abort();
    expect(await running).toBe('cancelled');
    expect(await leftovers(a, false)).toBe('');
    expect(await leftovers(b, false)).toBe('');
  });

  it('a DROP in app-b\'s INPUT on host b: the probe is blocked and its trace names host b\'s rule (--trace), the text too', async () => {
    await b.run(['ip', 'netns', 'exec', 'app-b', 'iptables', '-A', 'INPUT', '-s', '10.42.0.1', '-j', 'DROP']);
    const r = await both('explain', 'app-a@hosta', 'app-b@hostb', '--trace', '--json');
    expect(r.code).toBe(3);
    const j = JSON.parse(r.stdout) as Answer;
    expect(j.verdict).toBe('blocked');
    expect(j.probe?.reached).toBe(false);
    expect(j.probe?.decidedBy).toMatchObject({ kind: 'rule', chain: 'INPUT', spec: '-s 10.42.0.1/32 -j DROP' });
    expect(j.probe?.decidedBy?.ns).toMatch(/^host:hostb\//);
    expect(j.probe?.detail).toMatch(/; hostb dropped it: /);
    // Host a was traced too (--trace), its namespaces beside host b's.
    expect(j.probe?.traced?.namespaces.some((n) => n.startsWith('host:hosta/'))).toBe(true);
    const t = await both('explain', 'app-a@hosta', 'app-b@hostb', '--trace');
    expect(t.code).toBe(3);
    expect(t.stdout).toMatch(/probe: NOT REACHED — .*hostb dropped it/);
    expect(t.stdout).toMatch(/decided for real by: .*-s 10\.42\.0\.1\/32 -j DROP.*app-b on hostb/);
    // (serve's sessions, from the test before, keep their helpers on both hosts: only tracing is checked.)
    expect(await leftovers(a, false)).toBe('');
    expect(await leftovers(b, false)).toBe('');
  });

  it('through the router: blocked, host b\'s rule named; host b\'s ssh link dropped mid-probe: an answer that says so, nothing left on host b', async () => {
    const { client: c, ns } = await router();
    // The router's picture must hold host b's DROP before it predicts.
    for (let i = 0; i < 100; i++) {
      const m = await c.call('topology.get', {});
      if (m.rules.some((r) => r.ns === ns('hostb', 'app-b') && r.spec.includes('DROP'))) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const p = await c.call('explain.probe', probeParams(ns));
    expect(p.reached).toBe(false);
    expect(p.decidedBy).toMatchObject({ kind: 'rule', chain: 'INPUT', spec: '-s 10.42.0.1/32 -j DROP' });
    expect(p.decidedBy?.ns).toBe(ns('hostb', 'app-b'));
    const running = c.call('explain.probe', probeParams(ns));
    await whileObserving();
    const sessions = (await b.run(['pgrep', '-P', '1', '-x', 'sshd'])).trim().split('\n').filter(Boolean);
    for (const pid of sessions) await b.run(['kill', '-KILL', pid]);
    const cut = await running;
    expect(cut.reached).toBe(false);
    expect(cut.detail).toMatch(/hostb was not observed: /);
    expect(await leftovers(b, false)).toBe('');
    expect(await leftovers(a, false)).toBe('');
  });
});
