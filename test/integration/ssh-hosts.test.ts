import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Snapshot } from '../../protocol/src/snapshot.js';
import { RemoteHost } from '../../helper/hosts/remote-host.js';
import { resetSandbox } from '../sandbox.js';
import { startSshLab, type SshLab } from './ssh-lab.js';

// `netloom --host` and the helper over ssh (issue 14), against two "hosts" in the sandbox, each
// with its own namespaces and Debian's sshd; the user's ssh (here: a config the test wrote).

const root = join(__dirname, '..', '..');
const bundle = join(root, 'out/helper/netloom.cjs');
let lab: SshLab;

function netloom(args: string[], input = ''): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [bundle, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  child.stdin.end(input);
  return new Promise((r) => child.on('close', (code) => r({ code, stdout, stderr, ms: performance.now() - t0 })));
}
const onHost = (i: number, args: string[], input?: string) => netloom(['--ssh-config', lab.config, '--host', `root@${lab.hosts[i]?.addr}`, ...args], input);
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
    expect(staged()).toEqual(before);
  });
});
