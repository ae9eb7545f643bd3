import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HelperClient } from '../../protocol/src/client.js';
import type { Snapshot } from '../../protocol/src/snapshot.js';
import { lab as labScript, resetSandbox } from '../sandbox.js';
import { followPicture, openServeSession, serveClient, stopServe } from './serve-session.js';
import { startSshLab, type SshHost, type SshLab } from './ssh-lab.js';
import { until as waitUntil } from '../until.js';

// `netloom serve --host hostb=root@…` (issue 14): the page sees this machine and host b in one
// snapshot (b's ids prefixed), plans run on b when asked, b's picture goes stale when its ssh
// session is killed and live again after the reconnect.

const root = join(__dirname, '..', '..');
const bundle = join(root, 'out/helper/netloom.cjs');
let lab: SshLab;
let serve: ChildProcessWithoutNullStreams;
let client: HelperClient;
let picture: Snapshot | null = null;

const hostb = () => picture?.hosts?.find((h) => h.name === 'hostb');

beforeAll(async () => {
  if (!existsSync(bundle)) throw new Error('build first: node scripts/build.mjs --helper-only');
  await resetSandbox();
  lab = await startSshLab(['hostb']);
  await lab.hosts[0]?.run(['ip', 'netns', 'add', 'only-on-b']);
  await labScript('ip netns add only-local');
  serve = spawn(process.execPath, [bundle, 'serve', '--port', '0', '--no-open', '--ssh-config', lab.config, '--host', `hostb=root@${lab.hosts[0]?.addr}`], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, NETLOOM_STATE_DIR: join(lab.dir, 'state-local') } });
  client = await serveClient(await openServeSession(serve));
  followPicture(client, (p) => (picture = p));
});
afterAll(async () => {
  client?.close();
  await stopServe(serve);
  await lab?.close();
  await resetSandbox();
});

describe('browser mode with a remote host', () => {
  it('one snapshot: this machine with its plain ids, host b with host:hostb/ ids, both listed live', async () => {
    await until(() => hostb()?.state === 'live');
    const names = (picture?.namespaces ?? []).map((n) => [n.name, n.id.startsWith('host:hostb/')]);
    expect(names).toContainEqual(['only-local', false]);
    expect(names).toContainEqual(['only-on-b', true]);
    expect(picture?.hosts?.map((h) => [h.name, h.local])).toEqual([
      ['local', true],
      ['hostb', false],
    ]);
  });

  it('a plan sent to host b runs there (and only there), and is undone there', async () => {
    const [b] = lab.hosts as [SshHost];
    const applied = await client.call('plan.apply', { intents: [{ op: 'netns.create', name: 'from-the-page' }], host: 'hostb' } as never);
    expect(applied).toBeTruthy();
    expect(await b.run(['ip', 'netns', 'list'])).toContain('from-the-page');
    const { sh } = await import('../sandbox.js');
    expect(await sh(['ip', 'netns', 'list'])).not.toContain('from-the-page');
    // The canvas hears of it through host b's own watch, prefixed.
    await until(() => (picture?.namespaces ?? []).some((n) => n.name === 'from-the-page' && n.id.startsWith('host:hostb/')));
    await client.call('plan.undo', { host: 'hostb' } as never);
    expect(await b.run(['ip', 'netns', 'list'])).not.toContain('from-the-page');
  });

  it('a request about a remote id is answered by that host, its ids prefixed back', async () => {
    const ns = picture?.namespaces.find((n) => n.name === 'only-on-b');
    const preview = await client.call('plan.preview', { intents: [{ op: 'bridge.create', name: 'br-remote', ns: ns?.id ?? '' }] });
    expect(JSON.stringify(preview)).toContain('br-remote');
  });

  it('counters: one sample holds this machine\'s interfaces and host b\'s (prefixed)', async () => {
    let last: string[] = [];
    const h = client.watch('counters.watch', { intervalMs: 200 }, (d) => (last = d.interfaces.map((i) => i.id)), () => {});
    try {
      await until(() => last.some((id) => id.startsWith('host:hostb/')) && last.some((id) => id.startsWith('ns:')), 10_000);
    } finally {
      h.cancel();
    }
  });

  it('a capture on host b\'s eth0 runs there and streams back over ssh: the pings this machine sends it', async () => {
    const hostNs = picture?.namespaces.find((n) => n.id.startsWith('host:hostb/') && n.kind === 'host');
    const packets: { src: string; dst: string; proto: string }[] = [];
    let ended = false;
    client.watch('capture.start', { ns: hostNs?.id ?? '', interface: 'eth0', filter: 'icmp', count: 4 } as never, (d) => {
      if ('batch' in d) packets.push(...d.batch.packets);
    }, () => (ended = true));
    // tcpdump needs a moment to attach; the pings are bounded (count and deadline).
    await new Promise((r) => setTimeout(r, 1500));
    const { sh } = await import('../sandbox.js');
    await sh(['ping', '-c', '2', '-i', '0.2', '-W', '2', lab.hosts[0]?.addr ?? '']);
    await until(() => ended, 15_000);
    expect(packets.length).toBe(4);
    expect(packets.map((p) => [p.src, p.dst])).toContainEqual(['10.77.0.1', '10.77.0.2']);
    expect(packets.map((p) => [p.src, p.dst])).toContainEqual(['10.77.0.2', '10.77.0.1']);
  });

  it('killing host b\'s ssh session marks it stale (its picture kept), then it is live again', async () => {
    const [b] = lab.hosts as [SshHost];
    const sessions = (await b.run(['pgrep', '-P', '1', '-x', 'sshd'])).trim().split('\n').filter(Boolean);
    for (const pid of sessions) await b.run(['kill', '-KILL', pid]);
    await until(() => hostb()?.state === 'stale');
    expect(hostb()?.error).toMatch(/the ssh link to hostb dropped/);
    expect((picture?.namespaces ?? []).some((n) => n.name === 'only-on-b')).toBe(true);
    await until(() => hostb()?.state === 'live', 30_000);
  });
});

const until = (ok: () => boolean, ms = 20_000): Promise<void> => waitUntil(ok, ms);
