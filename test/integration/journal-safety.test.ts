import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync, closeSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseIntents } from '../../protocol/src/intents.js';
import { systemExec } from '../../helper/exec.js';
import type { Exec } from '../../helper/exec.js';
import { applyPlan } from '../../helper/intents/apply.js';
import { compile } from '../../helper/intents/compile.js';
import { Journal } from '../../helper/intents/journal.js';
import { readPlanContext } from '../../helper/intents/read-context.js';
import { recoverJournal } from '../../helper/intents/undo.js';
import { assertInSandbox, resetSandbox, sh } from '../sandbox.js';

// Issue 13 items 3, 6, 7 on the real kernel, in the sandbox: a full disk under the journal, a
// forged journal, a journal that lost a plan record, and a namespace the user made again.
// NETLOOM_TEST_BUNDLE runs the CLI cases against another build.

const bundle = process.env.NETLOOM_TEST_BUNDLE ?? join(__dirname, '..', '..', 'out', 'helper', 'netloom.cjs');

function cli(stateDir: string, args: string[], input = ''): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const c = spawn(process.execPath, [bundle, ...args], { env: { ...process.env, NETLOOM_STATE_DIR: stateDir } });
    let out = '';
    let err = '';
    c.stdout.on('data', (d: Buffer) => (out += d.toString()));
    c.stderr.on('data', (d: Buffer) => (err += d.toString()));
    c.on('exit', (code) => resolve({ code, out, err }));
    c.stdin.end(input);
  });
}

const netns = async (): Promise<string[]> => (await sh(['ip', 'netns', 'list'])).split('\n').map((l) => l.split(' ')[0] ?? '').filter((n) => n !== '').sort();
const inode = async (name: string): Promise<string> => (await sh(['stat', '-L', '-c', '%i', `/run/netns/${name}`])).trim();

beforeAll(async () => {
  assertInSandbox();
  await resetSandbox();
});
afterEach(async () => {
  await resetSandbox();
});

describe('a full disk under the journal (tmpfs)', () => {
  let mnt = '';
  afterAll(() => {
    if (mnt) execFileSync('umount', [mnt]);
  });

  /**
   * Fills the tmpfs to the last byte, as another writer would. tmpfs hands out whole pages: the
   * journal is first padded (blank lines, which the journal skips) to a page boundary, so its
   * next record needs a new page — as a record does when it crosses a block on a real disk.
   */
  const fill = (dir: string): void => {
    const journalFile = join(dir, 'state', 'journal.jsonl');
    const size = readFileSync(journalFile).length;
    writeFileSync(journalFile, '\n'.repeat((4096 - (size % 4096)) % 4096), { flag: 'a' });
    const fd = openSync(join(dir, 'filler'), 'w');
    const chunk = Buffer.alloc(64 * 1024, 1);
    try {
      for (;;) writeSync(fd, chunk);
    } catch {
      for (;;) {
        try {
          writeSync(fd, Buffer.alloc(1, 1));
        } catch {
          break;
        }
      }
    }
    closeSync(fd);
  };

  const cases = [
    { when: 'before a step starts', spare: true },
    { when: 'right after a step ran, before its done record', spare: true },
    // As if the helper died before even the spare slot was written: only the identities guard.
    { when: 'before a step starts, and the spare slot lost too', spare: false },
  ] as const;
  for (const { when, spare } of cases) {
    it(`disk full ${when}: the rollback runs, and after a restart recovery neither undoes it twice nor touches a namespace the user made again`, async () => {
      mnt = mkdtempSync(join(tmpdir(), 'netloom-full-'));
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m,mode=0700', 'tmpfs', mnt]);
      const stateDir = join(mnt, 'state');
      mkdirSync(stateDir, { mode: 0o700 });
      await sh(['sysctl', '-qw', 'net.ipv4.ip_forward=0']);
      const intents = parseIntents([
        { op: 'netns.create', name: 'web' },
        { op: 'bridge.create', name: 'brfull' },
        { op: 'forwarding.set', enabled: true },
        { op: 'nat.masquerade.add', source: '10.9.0.0/24' },
      ]);
      const plan = compile(intents, await readPlanContext(systemExec, intents));
      expect(plan.steps.map((s) => s.kind)).toEqual(['ip-batch', 'sysctl', 'iptables']);
      const journal = new Journal(stateDir);
      let exec: Exec = systemExec;
      let afterStep: ((i: number) => Promise<void>) | undefined;
      if (when.startsWith('before a step starts')) afterStep = async (i) => void (i === 0 && fill(mnt));
      else {
        // The sysctl step runs, then the disk fills before its `done` is written.
        exec = { spawn: systemExec.spawn, run: async (argv, o) => {
          const r = await systemExec.run(argv, o);
          if (argv[0] === 'sysctl' && argv.includes('-w') && argv.includes('net.ipv4.ip_forward=1')) fill(mnt);
          return r;
        } };
      }
      const err: unknown = await journal.withLock(() => applyPlan(exec, plan, { journal, ...(afterStep ? { afterStep } : {}) })).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(Error);
      expect((err as Error).message).toMatch(/ENOSPC|the journal could not record/);
      // The rollback ran: nothing of the plan is left.
      expect(await netns()).toEqual([]);
      expect((await sh(['sysctl', '-n', 'net.ipv4.ip_forward'])).trim()).toBe('0');
      // Meanwhile the person makes their own "web" and turns forwarding on by hand.
      await sh(['ip', 'netns', 'add', 'web']);
      const theirs = await inode('web');
      await sh(['sysctl', '-qw', 'net.ipv4.ip_forward=1']);
      rmSync(join(mnt, 'filler'));
      if (!spare) writeFileSync(join(stateDir, 'lock'), ' '.repeat(4096));
      if (process.env.DEBUG_J) console.log(readFileSync(join(stateDir, 'journal.jsonl'), 'utf8').replace(/\n+/g, '\n'));
      // A restart: a fresh journal object, recovery as the helper does at start.
      const reports = await new Journal(stateDir).withLock(() => recoverJournal(systemExec, new Journal(stateDir)));
      expect(await netns()).toEqual(['web']);
      expect(await inode('web')).toBe(theirs);
      expect((await sh(['sysctl', '-n', 'net.ipv4.ip_forward'])).trim()).toBe('1');
      expect(reports.flatMap((r) => r.failures)).toEqual([]);
      console.log(`full disk ${when}: recovery reports ${JSON.stringify(reports.map((r) => ({ outcome: r.outcome, failures: r.failures.length, skipped: r.skipped.length })))}`);
      execFileSync('umount', [mnt]);
      mnt = '';
      await sh(['sysctl', '-qw', 'net.ipv4.ip_forward=0']);
    });
  }
});

describe('a forged journal', () => {
  const pwned = join(tmpdir(), 'netloom-pwned');
  afterEach(() => rmSync(pwned, { force: true }));

  const forgedPlan = {
    version: 1,
    intents: [],
    steps: [
      {
        description: 'looks harmless',
        kind: 'ip',
        run: { argv: ['ip', 'link', 'add', 'd1', 'type', 'bridge'], command: 'ip link add d1 type bridge' },
        undo: { argv: ['nsenter', '--net=/proc/1/ns/net', '--', 'touch', pwned], command: 'x' },
        intents: [0],
      },
    ],
    ids: [],
    notes: [],
  };

  it('a forged record is never run at recovery: the undo --history that recovers says it ignored it', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'netloom-forged-'));
    writeFileSync(
      join(stateDir, 'journal.jsonl'),
      [
        { t: 'plan', plan: 'P1', at: '2026-01-01T00:00:00Z', body: forgedPlan },
        { t: 'start', plan: 'P1', step: 0 },
        { t: 'done', plan: 'P1', step: 0 },
        { t: 'start', plan: 'P2', step: 0 },
        { t: 'done', plan: 'P2', step: 0, undo: { kind: 'ip-batch', inv: { argv: ['ip', '-batch', '-'], input: `netns exec x touch ${pwned}\n`, command: 'x' } } },
      ]
        .map((r) => JSON.stringify(r))
        .join('\n') + '\n',
      { mode: 0o600 },
    );
    const r = await cli(stateDir, ['undo', '--history', '--json']);
    expect(existsSync(pwned)).toBe(false);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/2 line\(s\) of the journal .* failed its checks and were ignored/);
  });

  it('a journal others could have written (0644) is refused outright', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'netloom-forged-'));
    writeFileSync(join(stateDir, 'journal.jsonl'), '', { mode: 0o644 });
    chmodSync(join(stateDir, 'journal.jsonl'), 0o644);
    const r = await cli(stateDir, ['undo', '--history']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^netloom undo: denied: the journal's file .* is open to others \(mode 0644\)/);
  });
});

describe('a journal that lost a plan record (issue 13 item 7)', () => {
  it('lists the plan as one whose record was lost, and undo still takes its namespaces away', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'netloom-orphan-'));
    const applied = await cli(stateDir, ['apply', '-'], JSON.stringify([{ op: 'netns.create', name: 'or1' }, { op: 'netns.create', name: 'or2' }, { op: 'bridge.create', name: 'orbr' }]));
    expect(applied.code, applied.err).toBe(0);
    const file = join(stateDir, 'journal.jsonl');
    writeFileSync(file, readFileSync(file, 'utf8').split('\n').filter((l) => !l.includes('"t":"plan"')).join('\n'), { mode: 0o600 });
    const history = await cli(stateDir, ['undo', '--history']);
    expect(history.out).toMatch(/\(plan record lost\)/);
    const undone = await cli(stateDir, ['undo']);
    expect(undone.code, undone.err).toBe(0);
    expect(await netns()).toEqual([]);
    expect(await sh(['ip', '-o', 'link', 'show', 'type', 'bridge'])).not.toContain('orbr');
  });
});

describe('undo never touches what the user made since (issue 13 item 3)', () => {
  it('a namespace deleted and made again by hand is left alone (and said); the rest of the plan is undone', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'netloom-ident-'));
    const applied = await cli(stateDir, ['apply', '-'], JSON.stringify([{ op: 'netns.create', name: 'uw' }, { op: 'bridge.create', name: 'ubr' }]));
    expect(applied.code, applied.err).toBe(0);
    await sh(['ip', 'netns', 'delete', 'uw']);
    await sh(['ip', 'netns', 'add', 'uw']);
    const theirs = await inode('uw');
    const undone = await cli(stateDir, ['undo']);
    expect(undone.code, undone.err).toBe(0);
    expect(undone.out).toMatch(/Left alone: step 1 — namespace uw is not the one netloom made/);
    expect(await netns()).toEqual(['uw']);
    expect(await inode('uw')).toBe(theirs);
    expect(await sh(['ip', '-o', 'link', 'show', 'type', 'bridge'])).not.toContain('ubr');
  });
});
