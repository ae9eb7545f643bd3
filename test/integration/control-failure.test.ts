import { execFile, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProtocolError } from '../../protocol/src/index.js';
import type { Exec } from '../../helper/exec.js';
import { systemExec } from '../../helper/exec.js';
import { Journal } from '../../helper/intents/journal.js';
import { applyIntents } from '../../helper/intents/run-intents.js';
import { recoverJournal } from '../../helper/intents/undo.js';
import { assertInSandbox, resetSandbox, sh } from '../sandbox.js';
import { LAB, TCP_MAP, buildWorld, othersRules, systemState } from './control-lab.js';

// All or nothing (DESIGN §5): a plan that fails at its last step, one whose ip batch stops half
// way, and a helper killed with SIGKILL mid-plan all leave every namespace's `ip -json` and
// `iptables-save` exactly as they were; Docker-style and user rules are never touched.

const root = join(__dirname, '..', '..');
const bundle = join(root, 'out/helper/netloom.cjs');
let before: Record<string, string>;
let othersBefore: string;

beforeAll(async () => {
  assertInSandbox();
  execFileSync(process.execPath, [join(root, 'scripts/build.mjs'), '--helper-only'], { stdio: 'ignore' });
  await resetSandbox();
  await buildWorld();
  // A namespace that exists before, so a plan can fail inside it after changing the host.
  await sh(['ip', 'netns', 'add', 'pre']);
  await sh(['ip', '-n', 'pre', 'link', 'set', 'lo', 'up']);
  before = await systemState();
  othersBefore = await othersRules();
});

afterAll(async () => {
  await resetSandbox();
});

const UNREACHABLE = { op: 'route.add', ns: 'pre', dst: '198.51.100.0/24', via: '203.0.113.9' };

describe('control: failures leave the system as it was', () => {
  it('a plan whose last step fails is undone step by step, and says which step and why', async () => {
    const journal = new Journal(mkdtempSync(join(tmpdir(), 'netloom-state-')));
    const err = await applyIntents(systemExec, [...LAB, TCP_MAP, UNREACHABLE], { journal }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'failed' });
    const message = (err as Error).message;
    expect(message).toMatch(/^step (\d+) \(`ip -n pre route add 198\.51\.100\.0\/24 via 203\.0\.113\.9`\) failed: .*(Nexthop has invalid gateway|Network is unreachable).*; the \d+ steps before it were undone$/);
    expect(await systemState()).toEqual(before);
    expect(await journal.history()).toEqual([]);
  });

  it('an ip batch that stops at its second line undoes its first line too', async () => {
    const err = await applyIntents(systemExec, [{ op: 'link.set', ns: 'pre', name: 'lo', mtu: 1400 }, UNREACHABLE, { op: 'nat.masquerade.add', source: '10.0.0.0/24' }]).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'failed', details: { step: 1 } });
    expect(await systemState()).toEqual(before);
  });

  it('a netloom killed with SIGKILL mid-plan: the next one to start rolls the half-applied plan back and reports it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'netloom-state-'));
    const file = join(dir, 'intents.json');
    writeFileSync(file, JSON.stringify({ intents: [...LAB, TCP_MAP] }));
    const child = spawn(process.execPath, [bundle, 'apply', file], {
      env: { ...process.env, NETLOOM_STATE_DIR: dir, NETLOOM_TEST_PAUSE_AFTER_STEP: '3' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('the apply never paused')), 10_000);
      child.stderr.on('data', (d: Buffer) => {
        if (d.toString().includes('paused after step 3')) {
          clearTimeout(t);
          resolve();
        }
      });
    });
    const exited = new Promise((r) => child.once('exit', r));
    process.kill(child.pid!, 'SIGKILL');
    await exited;
    // Half applied: the bridge and the namespaces are there.
    expect(await sh(['ip', 'netns', 'list'])).toContain('ns1');
    expect(await systemState()).not.toEqual(before);
    // The next netloom to start (here `undo --history`) takes over the dead one's lock and rolls back.
    const next = execFileSync(process.execPath, [bundle, 'undo', '--history', '--json'], { env: { ...process.env, NETLOOM_STATE_DIR: dir }, encoding: 'utf8' });
    const { history, recovered } = JSON.parse(next) as { history: unknown[]; recovered: { outcome: string; failures: unknown[]; message: string }[] };
    expect(history).toEqual([]);
    expect(recovered).toHaveLength(1);
    expect(recovered[0]).toMatchObject({ outcome: 'rolled-back', failures: [] });
    expect(recovered[0]!.message).toMatch(/interrupted after 3 of \d+ steps; it was rolled back/);
    expect(await systemState()).toEqual(before);
    expect(await recoverJournal(systemExec, new Journal(dir))).toEqual([]);
    expect(await new Journal(dir).history()).toEqual([]);
  });

  it('the CLI: plan prints the commands (text, or --json); invalid input exits 2 naming the field and runs nothing; a failing apply exits 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'netloom-state-'));
    const run = (args: string[], input: string) =>
      new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
        const c = spawn(process.execPath, [bundle, ...args], { env: { ...process.env, NETLOOM_STATE_DIR: dir } });
        let out = '';
        let err = '';
        c.stdout.on('data', (d: Buffer) => (out += d.toString()));
        c.stderr.on('data', (d: Buffer) => (err += d.toString()));
        c.on('exit', (code) => resolve({ code, out, err }));
        c.stdin.end(input);
      });
    // For a person by default (issue 13 item 11): each step's description, then its command.
    const text = await run(['plan', '-'], JSON.stringify([TCP_MAP]));
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/^netloom will run 2 steps \(dry run: nothing was changed\):\n\n  1\. /);
    expect(text.out).toContain("     $ iptables-restore -w 5 --noflush <<'EOF'\n");
    expect(text.out).toMatch(/\nPlan: 2 steps\./);
    const plan = await run(['plan', '--json', '-'], JSON.stringify([TCP_MAP]));
    expect(plan.code).toBe(0);
    const printed = JSON.parse(plan.out) as { steps: { command: string }[]; ids: { id: string }[] };
    expect(printed.steps.map((s) => s.command.split('\n')[0])).toEqual(["iptables-restore -w 5 --noflush <<'EOF'", "iptables-restore -w 5 --noflush <<'EOF'"]);
    expect(printed.ids).toHaveLength(1);
    const bad = await run(['apply', '--json', '-'], JSON.stringify([{ op: 'bridge.create', name: 'br0;reboot' }]));
    expect(bad.code).toBe(2);
    expect(JSON.parse(bad.err)).toMatchObject({ error: { code: 'invalid', path: 'intents.0.name' } });
    const badText = await run(['apply', '-'], JSON.stringify([{ op: 'bridge.create', name: 'br0;reboot' }]));
    expect(badText.code).toBe(2);
    expect(badText.err).toMatch(/^netloom apply: invalid: field "intents\.0\.name": .* \(field intents\.0\.name\)\n$/);
    const failing = await run(['apply', '--json', '-'], JSON.stringify([{ op: 'bridge.create', name: 'brz' }, UNREACHABLE]));
    expect(failing.code).toBe(1);
    expect(JSON.parse(failing.err)).toMatchObject({ error: { code: 'failed', details: { step: 2 } } });
    expect(await systemState()).toEqual(before);
    const undo = await run(['undo', '--json'], '');
    expect(undo.code).toBe(1);
    expect(JSON.parse(undo.err)).toMatchObject({ error: { code: 'not_found' } });
    const applied = await run(['apply', '-'], JSON.stringify([{ op: 'bridge.create', name: 'brt' }]));
    expect(applied.code).toBe(0);
    expect(applied.out).toMatch(/^Applied 1 step in \d+ ms:\n\n  1\. create bridge brt.*\n     \$ ip link add brt type bridge\n/);
    expect(applied.out).toMatch(/\nPlan \S+ is in effect; `netloom undo` reverts it\.\n$/);
    const undone = await run(['undo'], '');
    expect(undone.code).toBe(0);
    expect(undone.out).toMatch(/^Undid plan \S+ \(1 step\):\n\n  1\. undo: create bridge brt.*\n     \$ ip link delete brt\n$/);
    expect(await systemState()).toEqual(before);
  });

  it('the xtables lock held by another process: waits 5 s, then a clear error, nothing changed', async () => {
    // This machine's iptables is nft, which has no lock: play a legacy host by sending the restore
    // to iptables-legacy-restore (same options), while flock holds the sandbox's /run/xtables.lock.
    const legacy: Exec = {
      spawn: systemExec.spawn,
      run: (argv, o = {}) =>
        argv[0] !== 'iptables-restore'
          ? systemExec.run(argv, o)
          : new Promise((resolve, reject) => {
              const c = execFile('iptables-legacy-restore', argv.slice(1), (err, stdout, stderr) =>
                err ? reject(new ProtocolError('failed', `iptables-restore failed: ${stderr}`, { details: { stderr } })) : resolve({ argv, stdout, stderr, exitCode: 0 }),
              );
              c.stdin?.end(o.input ?? '');
            }),
    };
    const holder = spawn('flock', ['/run/xtables.lock', 'sleep', '15'], { stdio: 'ignore' });
    await new Promise((r) => setTimeout(r, 300));
    const t0 = performance.now();
    const err = await applyIntents(legacy, [{ op: 'bridge.create', name: 'brlock' }, TCP_MAP]).catch((e: unknown) => e);
    const waited = performance.now() - t0;
    process.kill(holder.pid!, 'SIGKILL');
    expect(err).toMatchObject({ code: 'failed', message: expect.stringContaining('Another app is currently holding the xtables lock. Stopped waiting after 5s.') });
    expect((err as Error).message).toMatch(/; the 1 step before it was undone$/);
    expect(waited).toBeGreaterThan(4500);
    expect(waited).toBeLessThan(8000);
    expect(await systemState()).toEqual(before);
  });

  it('Docker-style and user rules survived every failure untouched', async () => {
    expect(await othersRules()).toBe(othersBefore);
  });
});
