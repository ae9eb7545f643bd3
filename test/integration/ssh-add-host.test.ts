import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HelperClient } from '../../protocol/src/client.js';
import type { HostEntry } from '../../protocol/src/hosts.js';
import type { Snapshot } from '../../protocol/src/snapshot.js';
import { resetSandbox } from '../sandbox.js';
import { until as waitUntil } from '../until.js';
import { followPicture, openServeSession, serveClient, stopServe } from './serve-session.js';
import { ASKER, ASKER_PASSWORD, startSshLab, SUDOER, type SshHost, type SshLab } from './ssh-lab.js';

// hosts.add / hosts.password / hosts.remove (issue 14) on a real `netloom serve` started with no
// --host, against a real sshd "host" in the sandbox: the page's stream turns into several hosts,
// sudo's password is asked for and a wrong one asked again, and a removed host leaves nothing.

const root = join(__dirname, '..', '..');
const bundle = join(root, 'out/helper/netloom.cjs');
let lab: SshLab;
let a: SshHost;
let serve: ChildProcessWithoutNullStreams;
let client: HelperClient;
let picture: Snapshot | null = null;
let serveErr = '';
const staged = (): string[] => readdirSync('/tmp').filter((f) => f.startsWith('netloom.') || f.startsWith('netloom-root.'));
const host = (name: string): HostEntry | undefined => picture?.hosts?.find((h) => h.name === name);

beforeAll(async () => {
  if (!existsSync(bundle)) throw new Error('build first: node scripts/build.mjs --helper-only');
  await resetSandbox();
  lab = await startSshLab(['hosta']);
  a = lab.hosts[0] as SshHost;
  await a.run(['ip', 'netns', 'add', 'only-on-a']);
  serve = spawn(process.execPath, [bundle, 'serve', '--port', '0', '--no-open', '--ssh-config', lab.config], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, NETLOOM_STATE_DIR: join(lab.dir, 'state-local') } });
  serve.stderr.on('data', (b: Buffer) => (serveErr += b.toString()));
  client = await serveClient(await openServeSession(serve));
  followPicture(client, (p) => (picture = p));
  await until(() => picture !== null);
});
afterAll(async () => {
  client?.close();
  await stopServe(serve);
  await lab?.close();
  await resetSandbox();
});

describe('hosts added to a running netloom serve', () => {
  it('with no host the picture is the one host as always; a bad target changes nothing', async () => {
    expect(picture?.hosts).toBeUndefined();
    await expect(client.call('hosts.add', { target: { destination: '-oProxyCommand=id' } })).rejects.toMatchObject({ code: 'invalid', path: 'params.target.destination' });
    expect(await client.call('hosts.list', {})).toEqual({ hosts: [] });
  });

  it('hosts.add: the open stream shows host a connecting, then live with its namespaces; hosts.remove ends its session and leaves nothing', async () => {
    const before = staged();
    const { host: entry } = await client.call('hosts.add', { target: { destination: `${SUDOER}@${a.addr}`, name: 'hosta' } });
    expect(entry.state).toBe('connecting');
    await until(() => host('hosta')?.state === 'live');
    expect((picture?.namespaces ?? []).some((n) => n.name === 'only-on-a' && n.id.startsWith('host:hosta/'))).toBe(true);
    const ours = staged().filter((f) => !before.includes(f));
    expect(ours.length).toBeGreaterThan(0);
    await client.call('hosts.remove', { name: 'hosta' });
    await until(() => host('hosta') === undefined && !(picture?.namespaces ?? []).some((n) => n.id.startsWith('host:hosta/')));
    await until(() => staged().filter((f) => ours.includes(f)).length === 0, 10_000);
    expect(await a.run(['pgrep', '-f', 'netloom.cjs']).catch(() => '')).toBe('');
  });

  it('sudo with a password: asked, a wrong one refused and asked again, the right one → live; nothing echoes it', async () => {
    await client.call('hosts.add', { target: { destination: `${ASKER}@${a.addr}`, name: 'hostc' } });
    await until(() => host('hostc')?.needsPassword === true);
    await client.call('hosts.password', { name: 'hostc', password: 'wrong-one' });
    await until(() => host('hostc')?.needsPassword === true && /did not take the password/.test(host('hostc')?.error ?? ''));
    await client.call('hosts.password', { name: 'hostc', password: ASKER_PASSWORD });
    await until(() => host('hostc')?.state === 'live');
    expect(JSON.stringify(picture)).not.toContain(ASKER_PASSWORD);
    expect(serveErr).not.toContain(ASKER_PASSWORD);
    await client.call('hosts.remove', { name: 'hostc' });
  });

  it('declining leaves the host failed, saying sudo wants a password and what to change', async () => {
    await client.call('hosts.add', { target: { destination: `${ASKER}@${a.addr}`, name: 'hostd' } });
    await until(() => host('hostd')?.needsPassword === true);
    await client.call('hosts.password', { name: 'hostd', password: null });
    await until(() => host('hostd')?.state === 'failed');
    expect(host('hostd')?.error).toMatch(/sudo on .* wants a password .*NOPASSWD/);
    await client.call('hosts.remove', { name: 'hostd' });
  });
});

const until = (ok: () => boolean, ms = 30_000): Promise<void> => waitUntil(ok, ms, () => `hosts: ${JSON.stringify(picture?.hosts)}; serve: ${serveErr}`);
