import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Snapshot } from '../../protocol/src/snapshot.js';
import { controlPath, masterDir } from '../../helper/hosts/ssh-master.js';
import { resetSandbox } from '../sandbox.js';
import { RemoteHost } from '../../helper/hosts/remote-host.js';
import { openSession } from '../../helper/hosts/ssh-bootstrap.js';
import { startSshLab, type SshHost, type SshLab } from './ssh-lab.js';
import { until } from '../until.js';
import { bundle, netloom } from './netloom-cli.js';

// One master connection per host (helper/hosts/ssh-master.ts): the handshake and login happen
// once, the next session rides on it — counted in the host's own sshd log.

const root = join(__dirname, '..', '..');
let lab: SshLab;

const logins = (): number => (lab.hosts[0]?.log().match(/Accepted publickey for root/g) ?? []).length;
const staged = (): string[] => readdirSync('/tmp').filter((f) => f.startsWith('netloom.') || f.startsWith('netloom-root.'));
const snapshot = (env?: NodeJS.ProcessEnv) => netloom(['--ssh-config', lab.config, '--host', `root@${lab.hosts[0]?.addr}`, 'snapshot'], { env });

beforeAll(async () => {
  if (!existsSync(bundle)) throw new Error('build first: node scripts/build.mjs --helper-only');
  await resetSandbox();
  lab = await startSshLab(['hostm'], { multiplex: true });
});
afterAll(async () => {
  // The master would stay ControlPersist seconds more: end it now.
  const dir = masterDir();
  if (dir !== null) spawnSync('ssh', ['-F', lab.config, '-o', `ControlPath=${controlPath(dir, lab.config)}`, '-O', 'exit', '--', `root@${lab.hosts[0]?.addr}`]);
  await lab?.close();
  await resetSandbox();
});

describe('the ssh master connection', () => {
  it('a second command rides on the first one\'s connection: one login in sshd\'s log; its socket in a 0700 directory; nothing left in /tmp', async () => {
    const before = staged();
    const n0 = logins();
    const a = await snapshot();
    expect(a.stderr).toBe('');
    expect(Snapshot.parse(JSON.parse(a.stdout)).host.hostname).toBe('hostm');
    expect(logins()).toBe(n0 + 1);
    const b = await snapshot();
    expect(b.code).toBe(0);
    expect(Snapshot.parse(JSON.parse(b.stdout)).host.hostname).toBe('hostm');
    expect(logins()).toBe(n0 + 1);
    const dir = masterDir() as string;
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(readdirSync(dir).some((f) => f.startsWith(controlPath(dir, lab.config).split('/').at(-1)?.replace('%C', '') ?? '?'))).toBe(true);
    expect(staged().filter((f) => !before.includes(f))).toEqual([]);
  });

  it('NETLOOM_SSH_MASTER=no: every command logs in again', async () => {
    const n0 = logins();
    const env = { ...process.env, NETLOOM_SSH_MASTER: 'no' };
    expect((await snapshot(env)).code).toBe(0);
    expect((await snapshot(env)).code).toBe(0);
    expect(logins()).toBe(n0 + 2);
  });
});

describe('root\'s bundle cache on the host (opt-in)', () => {
  it('the first session sends the bundle and root keeps it in its 0700 /var/cache/netloom; the next sends none; nothing left in /tmp', async () => {
    const before = staged();
    const host = lab.hosts[0] as SshHost;
    const stages = async (): Promise<string[]> => {
      const seen: string[] = [];
      const s = await openSession({ destination: `root@${host.addr}` }, ['snapshot'], { configFile: lab.config, helperDir: join(root, 'out/helper'), bundleCache: true, onStage: (k) => seen.push(k) });
      s.child.stdin.end();
      let out = '';
      s.output.on('data', (b: Buffer) => (out += b.toString()));
      expect(await new Promise((r) => s.child.on('close', r))).toBe(0);
      expect(Snapshot.parse(JSON.parse(out)).host.hostname).toBe('hostm');
      return seen;
    };
    expect(await stages()).toContain('need');
    expect((await host.run(['stat', '-c', '%u:%a', '/var/cache/netloom'])).trim()).toBe('0:700');
    expect(await stages()).toEqual(['dir', 'ready', 'go', 'cached', 'staged']);
    expect(staged().filter((f) => !before.includes(f))).toEqual([]);
  });
});

describe('a live host over the master connection', () => {
  it('a killed sshd connection ends the master too: stale with the dropped-link error, then live again over a new master (one more login)', async () => {
    const h = lab.hosts[0] as SshHost;
    const host = new RemoteHost({ destination: `root@${h.addr}`, name: 'hostm' }, { configFile: lab.config, aliveIntervalS: 1, backoffMs: [300] });
    try {
      await host.connect();
      expect(host.state).toBe('live');
      const n0 = logins();
      const sessions = (await h.run(['pgrep', '-P', '1', '-x', 'sshd'])).trim().split('\n').filter(Boolean);
      for (const pid of sessions) await h.run(['kill', '-KILL', pid]);
      await until(() => host.state === 'stale');
      expect(host.error).toMatch(/the ssh link to hostm dropped/);
      await until(() => host.state === 'live', 20_000);
      expect(logins()).toBe(n0 + 1);
    } finally {
      host.close();
    }
  });
});

