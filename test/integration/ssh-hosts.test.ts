import { existsSync, readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Snapshot } from '../../protocol/src/snapshot.js';
import { RemoteHost } from '../../helper/hosts/remote-host.js';
import { resetSandbox } from '../sandbox.js';
import { ASKER, ASKER_PASSWORD, PLAIN, startSshLab, SUDOER, type SshLab } from './ssh-lab.js';
import { until } from '../until.js';
import { bundle, netloom } from './netloom-cli.js';

// `netloom --host` and the helper over ssh (issue 14), against two "hosts" in the sandbox, each
// with its own namespaces and Debian's sshd; the user's ssh (here: a config the test wrote).

let lab: SshLab;

const onHost = (i: number, args: string[], input?: string) => netloom(['--ssh-config', lab.config, '--host', `root@${lab.hosts[i]?.addr}`, ...args], { input });
const staged = (): string[] => readdirSync('/tmp').filter((f) => f.startsWith('netloom.') || f.startsWith('netloom-root.'));

beforeAll(async () => {
  if (!existsSync(bundle)) throw new Error('build first: node scripts/build.mjs --helper-only');
  await resetSandbox();
  lab = await startSshLab(['hosta', 'hostb']);
  await lab.hosts[0]?.run(['ip', 'netns', 'add', 'only-on-a']);
  await lab.hosts[1]?.run(['ip', 'netns', 'add', 'only-on-b']);
});
afterAll(async () => {
  await lab?.close();
  await resetSandbox();
});

describe('netloom --host', () => {
  it('prints the remote host\'s snapshot: its hostname and the namespace made only there; nothing is left in /tmp', async () => {
    const before = staged();
    const a = await onHost(0, ['snapshot']);
    expect(a.stderr).toBe('');
    expect(a.code).toBe(0);
    const snap = Snapshot.parse(JSON.parse(a.stdout));
    expect(snap.host.hostname).toBe('hosta');
    const names = snap.namespaces.map((n) => n.name);
    expect(names).toContain('only-on-a');
    expect(names).not.toContain('only-on-b');
    const b = Snapshot.parse(JSON.parse((await onHost(1, ['snapshot'])).stdout));
    expect(b.host.hostname).toBe('hostb');
    expect(b.namespaces.map((n) => n.name)).toContain('only-on-b');
    expect(staged().filter((f) => !before.includes(f))).toEqual([]);
  });
});

describe('root on the remote host through sudo', () => {
  it('a user with sudo -n (NOPASSWD) reads the host as root', async () => {
    const before = staged();
    const r = await netloom(['--ssh-config', lab.config, '--host', `${SUDOER}@${lab.hosts[1]?.addr}`, 'snapshot']);
    expect(r.code).toBe(0);
    const snap = Snapshot.parse(JSON.parse(r.stdout));
    expect(snap.host.privileged).toBe(true);
    expect(snap.namespaces.map((n) => n.name)).toContain('only-on-b');
    expect(staged().filter((f) => !before.includes(f))).toEqual([]);
  });

  it('a user sudo wants a password from: the sudo error, exit 255, nothing run and nothing left behind', async () => {
    const before = staged();
    const r = await netloom(['--ssh-config', lab.config, '--host', `${PLAIN}@${lab.hosts[1]?.addr}`, 'snapshot']);
    expect(r.code).toBe(255);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/sudo on plain@10\.77\.0\.3 wants a password \(`sudo -n` was refused\)/);
    expect(staged().filter((f) => !before.includes(f))).toEqual([]);
  });
});

describe('sudo with a password, asked by the app (never kept)', () => {
  const as = (password: string | null) => new RemoteHost({ destination: `${ASKER}@${lab.hosts[1]?.addr}`, name: 'hostb' }, { configFile: lab.config, askPassword: async () => password, backoffMs: [60_000] });

  it('the right password: sudo takes it at its prompt and the helper runs as root', async () => {
    const host = as(ASKER_PASSWORD);
    try {
      const snap = await host.connect();
      expect(snap.host.privileged).toBe(true);
      expect(snap.namespaces.map((n) => n.name)).toContain('only-on-b');
    } finally {
      host.close();
    }
  });

  it('a wrong one: the sudo error, nothing run; none given: refused before anything is sent', async () => {
    await expect(as('not-the-password').connect()).rejects.toMatchObject({ problem: 'sudo-wrong-password' });
    await expect(as(null).connect()).rejects.toMatchObject({ problem: 'sudo-password', message: expect.stringMatching(/wants a password .* and none was given/) });
  });
});

describe('plans on a remote host', () => {
  it('applies a plan on host b (journaled there) and undoes it there; host a and the sandbox are untouched', async () => {
    const intents = JSON.stringify({ intents: [{ op: 'netns.create', name: 'made-over-ssh' }] });
    const plan = await onHost(1, ['plan', '--json', '-'], intents);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain('ip netns add made-over-ssh');
    const applied = await onHost(1, ['apply', '--json', '-'], intents);
    expect(applied.stderr).toBe('');
    expect(applied.code).toBe(0);
    expect(await lab.hosts[1]?.run(['ip', 'netns', 'list'])).toContain('made-over-ssh');
    expect(await lab.hosts[0]?.run(['ip', 'netns', 'list'])).not.toContain('made-over-ssh');
    expect(readdirSync('/run/netns')).not.toContain('made-over-ssh');
    const undone = await onHost(1, ['undo']);
    expect(undone.code).toBe(0);
    expect(await lab.hosts[1]?.run(['ip', 'netns', 'list'])).not.toContain('made-over-ssh');
  });
});

describe('what goes wrong reaching a host', () => {
  it('a host key that is not the one in known_hosts: the host-key error, exit 255, nothing run', async () => {
    const [a, b] = lab.hosts;
    if (!a || !b) throw new Error('two hosts');
    lab.writeKnownHosts([a.hostKeyLine, lab.wrongKeyLine(b)]);
    try {
      const r = await onHost(1, ['snapshot']);
      expect(r.code).toBe(255);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/the host key of root@10\.77\.0\.3 has CHANGED/);
      // An unknown key (no line at all) is the other host-key sentence.
      lab.writeKnownHosts([a.hostKeyLine]);
      const u = await onHost(1, ['snapshot']);
      expect(u.code).toBe(255);
      expect(u.stderr).toMatch(/ssh does not know the host key of root@10\.77\.0\.3/);
    } finally {
      lab.writeKnownHosts([a.hostKeyLine, b.hostKeyLine]);
    }
  });

  it('a killed sshd session drops the link: the picture is kept and marked stale with the dropped-link error, then reconnects', async () => {
    const a = lab.hosts[0];
    if (!a) throw new Error('host a');
    const host = new RemoteHost({ destination: `root@${a.addr}`, name: 'hosta' }, { configFile: lab.config, aliveIntervalS: 1, backoffMs: [300] });
    try {
      const first = await host.connect();
      expect(first.namespaces.map((n) => n.name)).toContain('only-on-a');
      expect(host.state).toBe('live');
      // The session's sshd (a child of the host's listening sshd, its PID 1) is killed.
      const sessions = (await a.run(['pgrep', '-P', '1', '-x', 'sshd'])).trim().split('\n').filter(Boolean);
      expect(sessions.length).toBeGreaterThan(0);
      for (const pid of sessions) await a.run(['kill', '-KILL', pid]);
      await until(() => host.state === 'stale');
      expect(host.error).toMatch(/the ssh link to hosta dropped/);
      expect(host.snapshot?.host.hostname).toBe('hosta');
      await until(() => host.state === 'live', 20_000);
      expect(host.error).toBeNull();
    } finally {
      host.close();
    }
  });
});

