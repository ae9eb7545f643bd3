import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Snapshot } from '../../protocol/src/index.js';
import { assertInSandbox, processesIn } from '../sandbox.js';

// Issue 15, item 1: a root helper in the test sandbox must never see the machine's own network
// namespace. The machine's namespace comes in from outside (scripts/sandbox.mjs passes
// NETLOOM_OUTER_NETNS); a snapshot taken here by the real helper bundle must not hold it.
// Then the same check one level down: scripts/sandbox.mjs run inside this sandbox must hide
// this sandbox's namespace the same way (with a shared /proc it would not).

const execFileP = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');
const bundle = join(root, 'out/helper/netloom.cjs');
const inodeOf = (link: string): number => Number(/^net:\[(\d+)\]$/.exec(link)?.[1]);

async function snapshotVia(argv: string[], env: Record<string, string> = {}): Promise<Snapshot> {
  const { stdout } = await execFileP(argv[0]!, argv.slice(1), { env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 });
  return Snapshot.parse(JSON.parse(stdout));
}

describe('the test sandbox hides the machine\'s network namespace', () => {
  const outer = process.env.NETLOOM_OUTER_NETNS ?? '';
  const own = readlinkSync('/proc/self/ns/net');
  let tmp = '';
  beforeAll(() => {
    assertInSandbox();
    tmp = mkdtempSync(join(tmpdir(), 'netloom-iso-'));
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('knows the machine\'s namespace and is not in it', () => {
    expect(outer).toMatch(/^net:\[\d+\]$/);
    expect(own).not.toBe(outer);
    expect(processesIn(outer)).toEqual([]);
  });

  for (const reader of ['netloom-nsread', 'ip'] as const) {
    it(`a root helper's snapshot (${reader}) holds the sandbox's namespace as host, and never the machine's`, async () => {
      const snap = await snapshotVia([process.execPath, bundle, 'snapshot'], reader === 'ip' ? { NETLOOM_NSREAD: 'off' } : {});
      const inodes = snap.namespaces.map((n) => n.inode);
      expect(inodes).not.toContain(inodeOf(outer));
      expect(snap.namespaces.find((n) => n.kind === 'host')?.inode).toBe(inodeOf(own));
      // The machine's interfaces (its uplink) are nowhere: every interface sits in a namespace made here.
      expect(snap.interfaces.every((i) => snap.namespaces.some((n) => n.id === i.ns))).toBe(true);
    });
  }

  it('scripts/sandbox.mjs nested in this sandbox hides this sandbox\'s namespace from a root helper', async () => {
    // A copy of the sandbox script, so the nested run uses exactly the file under test.
    const script = join(tmp, 'sandbox.mjs');
    copyFileSync(join(root, 'scripts/sandbox.mjs'), script);
    const snap = await snapshotVia([process.execPath, script, '--', process.execPath, bundle, 'snapshot']);
    const inodes = snap.namespaces.map((n) => n.inode);
    expect(inodes).not.toContain(inodeOf(own));
    expect(inodes).not.toContain(inodeOf(outer));
    expect(snap.namespaces.map((n) => n.kind)).toEqual(['host']);
  });

  it('a half sandbox (own network namespace, shared /proc) is refused by the benchmarks\' guard', async () => {
    // What the sandbox was before it had its own pid namespace: `unshare --net --mount` alone.
    const env = { ...process.env, NETLOOM_SANDBOX: '1', NETLOOM_OUTER_NETNS: own, NETLOOM_OUTER_PIDNS: readlinkSync('/proc/self/ns/pid') };
    const half = execFileP('unshare', ['--net', '--mount', '--fork', '--', process.execPath, join(root, 'bench/lib.mjs')], { env });
    await expect(half).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('run them through bench/run.mjs') });
    // …and a whole one (scripts/sandbox.mjs) is accepted.
    await expect(execFileP(process.execPath, [join(root, 'scripts/sandbox.mjs'), '--', process.execPath, join(root, 'bench/lib.mjs')])).resolves.toMatchObject({ stderr: '' });
  });
});
