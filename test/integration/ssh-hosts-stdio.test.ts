import { execFileSync, spawn, type ChildProcess, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HelperClient } from '../../protocol/src/client.js';
import type { CountersSample } from '../../protocol/src/counters.js';
import { HOSTS_CAPABILITY } from '../../protocol/src/host-methods.js';
import { applyPatch } from '../../protocol/src/patch.js';
import type { Snapshot } from '../../protocol/src/snapshot.js';
import { resetSandbox } from '../sandbox.js';
import { until as waitUntil } from '../until.js';
import { startSshLab, SUDOER, type SshHost, type SshLab } from './ssh-lab.js';

// The desktop app's host layer (issue 14): `netloom hosts --stdio` with the page on its stdio and
// its fd 3 joined to a real root helper's stdio (main's supervisor does this in the app), against
// a real sshd "host" in the sandbox. The page adds a host, sees it on its open streams, removes
// it; closing stdin or losing the core ends the process as the contract says.

const NOBODY = 65534;
const bundle = join(__dirname, '..', '..', 'out/helper/netloom.cjs');
let lab: SshLab;
let a: SshHost;
const staged = (): string[] => readdirSync('/tmp').filter((f) => f.startsWith('netloom.') || f.startsWith('netloom-root.'));
const remoteHelpers = async (): Promise<string> => (await a.run(['pgrep', '-f', 'netloom.cjs']).catch(() => '')).trim();

interface Pair {
  core: ChildProcessWithoutNullStreams;
  hosts: ChildProcess;
  client: HelperClient;
  stderr: () => string;
  /** Everything the hosts process wrote to fd 3 (to the core). */
  toCore: () => string;
  exited: Promise<{ code: number | null; ms: number }>;
}

/** A root helper on stdio and `hosts --stdio` whose fd 3 is piped to it both ways; the page is the test's client. */
function startPair(asUser?: number): Pair {
  const core = spawn(process.execPath, [bundle, 'helper', '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, NETLOOM_STATE_DIR: join(lab.dir, 'state-local') } });
  core.stderr.on('data', () => {});
  const hosts = spawn(process.execPath, [bundle, 'hosts', '--stdio', '--ssh-config', lab.config], { stdio: ['pipe', 'pipe', 'pipe', 'pipe'], ...(asUser !== undefined ? { uid: asUser, gid: asUser, cwd: '/' } : {}) });
  const fd3 = hosts.stdio[3] as Duplex;
  fd3.pipe(core.stdin);
  core.stdout.pipe(fd3);
  let toCore = '';
  fd3.on('data', (b: Buffer) => (toCore += b.toString()));
  let err = '';
  hosts.stderr?.on('data', (b: Buffer) => (err += b.toString()));
  let t0 = 0;
  const exited = new Promise<{ code: number | null; ms: number }>((r) => hosts.once('exit', (code) => r({ code, ms: Date.now() - t0 })));
  const client = new HelperClient({
    send: (t) => void hosts.stdin?.write(t),
    onText: (cb) => void hosts.stdout?.on('data', (b: Buffer) => cb(b.toString('utf8'))),
    onClose: (cb) => void hosts.once('exit', () => cb('exited')),
    close: () => {
      t0 = Date.now();
      hosts.stdin?.end();
    },
  });
  return { core, hosts, client, stderr: () => err, toCore: () => toCore, exited };
}

beforeAll(async () => {
  if (!existsSync(bundle)) throw new Error('build first: node scripts/build.mjs --helper-only');
  await resetSandbox();
  lab = await startSshLab(['hosta']);
  a = lab.hosts[0] as SshHost;
  await a.run(['ip', 'netns', 'add', 'only-on-a']);
  execFileSync('ip', ['netns', 'add', 'only-here']);
});
afterAll(async () => {
  await lab?.close();
  await resetSandbox();
});

describe('netloom hosts --stdio between the page and a root helper', () => {
  let pair: Pair;
  let picture: Snapshot | null = null;
  const samples: CountersSample[] = [];
  const host = (name: string) => picture?.hosts?.find((h) => h.name === name);
  const until = (ok: () => boolean, ms = 30_000): Promise<void> => waitUntil(ok, ms, () => `hosts: ${JSON.stringify(picture?.hosts)}; stderr: ${pair.stderr()}`);

  it('the page hears one init with the hosts capability; its topology and counters come from the local core', async () => {
    pair = startPair();
    const init = await pair.client.ready;
    expect(init.capabilities).toContain(HOSTS_CAPABILITY);
    expect(init.capabilities).toContain('topology.watch');
    pair.client.watch('topology.watch', {}, (d) => (picture = 'snapshot' in d ? d.snapshot : picture ? applyPatch(picture, d.patch) : null), () => {});
    pair.client.watch('counters.watch', { intervalMs: 200 }, (d) => samples.push(d), () => {});
    await until(() => picture?.namespaces.some((n) => n.name === 'only-here') === true && samples.length >= 2);
    expect(picture?.hosts).toBeUndefined();
  });

  it('hosts.add: the open topology stream (same id) gains the remote host; counters still flow; ssh runs as this process\'s user', async () => {
    const before = staged();
    const { host: entry } = await pair.client.call('hosts.add', { target: { destination: `${SUDOER}@${a.addr}`, name: 'hosta' } });
    expect(entry.state).toBe('connecting');
    await until(() => host('hosta')?.state === 'live');
    expect(picture?.namespaces.some((n) => n.name === 'only-on-a' && n.id.startsWith('host:hosta/'))).toBe(true);
    expect(picture?.namespaces.some((n) => n.name === 'only-here' && !n.id.startsWith('host:'))).toBe(true);
    // The ssh child of the hosts process runs as that process's user (no code path switches users).
    const ssh = execFileSync('pgrep', ['-P', String(pair.hosts.pid), '-x', 'ssh'], { encoding: 'utf8' }).trim().split('\n');
    expect(ssh.length).toBeGreaterThan(0);
    const uidOf = (pid: string | number): string => /^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? '?';
    for (const pid of ssh) expect(uidOf(pid)).toBe(uidOf(pair.hosts.pid as number));
    expect(a.log()).toContain(`Accepted publickey for ${SUDOER}`);
    const n = samples.length;
    await until(() => samples.length >= n + 3 && samples.at(-1)?.interfaces.some((i) => i.id.startsWith('host:hosta/')) === true);
    expect(staged().filter((f) => !before.includes(f)).length).toBeGreaterThan(0);
  });

  it('hosts.remove: the host leaves the picture and nothing is left on it', async () => {
    const ours = staged();
    await pair.client.call('hosts.remove', { name: 'hosta' });
    await until(() => host('hosta') === undefined && !(picture?.namespaces ?? []).some((n) => n.id.startsWith('host:hosta/')));
    await until(() => staged().filter((f) => ours.includes(f)).length === 0, 10_000);
    expect(await remoteHelpers()).toBe('');
  });

  it('stdin ends: the process closes its ssh sessions (the host it still had is left clean) and exits 0 within seconds', async () => {
    await pair.client.call('hosts.add', { target: { destination: `${SUDOER}@${a.addr}`, name: 'hostb' } });
    await until(() => host('hostb')?.state === 'live');
    expect(await remoteHelpers()).not.toBe('');
    const sent = pair.toCore().length;
    pair.client.close();
    const { code, ms } = await pair.exited;
    expect(code).toBe(0);
    // What the page's connections still had open on the core (the router's topology and counters) was cancelled there.
    expect(pair.toCore().slice(sent).match(/\{"cancel":\{"id":\d+\}\}/g)?.length).toBeGreaterThanOrEqual(2);
    expect(ms).toBeLessThan(5000);
    // Already gone when it exits (not later, as a dropped link would leave it to the remote side).
    expect(staged()).toEqual([]);
    expect(await remoteHelpers()).toBe('');
    // fd 3 closed with it: the root helper's input ended and it exited.
    await waitUntil(() => pair.core.exitCode !== null, 5000);
  });

  it('needs no root: as nobody it serves the page from the root core and exits 0 when stdin ends', async () => {
    const p = startPair(NOBODY);
    await p.client.ready;
    expect(/^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${p.hosts.pid}/status`, 'utf8'))?.[1]).toBe(String(NOBODY));
    let seen: Snapshot | null = null;
    p.client.watch('topology.watch', {}, (d) => (seen = 'snapshot' in d ? d.snapshot : seen), () => {});
    await waitUntil(() => (seen as Snapshot | null)?.namespaces.some((n) => n.name === 'only-here') === true, 10_000, p.stderr);
    p.client.close();
    expect((await p.exited).code).toBe(0);
  });

  it('the core goes away: the process exits non-zero with a one-line reason', async () => {
    const p = startPair();
    await p.client.ready;
    p.core.kill('SIGKILL');
    const { code } = await p.exited;
    expect(code).not.toBe(0);
    const lines = p.stderr().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^netloom hosts: the helper core on fd 3 is gone \(.+\)$/);
  });
});
