import { chmodSync, chownSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseIntents } from '../../../../protocol/src/intents.js';
import type { Plan, PlanStep } from '../../../../protocol/src/plan.js';
import { checkArgvShape } from '../../../../helper/exec-argv.js';
import { PROGRAMS } from '../../../../helper/exec.js';
import { compile } from '../../../../helper/intents/compile.js';
import { foldJournal, Journal } from '../../../../helper/intents/journal.js';
import { stepProblem } from '../../../../helper/intents/plan-shape.js';
import { decideUndo } from '../../../../helper/intents/undo-guard.js';
import { recoverJournal, undoLast } from '../../../../helper/intents/undo.js';
import { applyPlan } from '../../../../helper/intents/apply.js';
import { contextFixture } from './context-fixture.js';
import { changes, recordingExec } from './fake-exec.js';
import { planOf, step } from './plan-fixture.js';

// Issue 13 items 3, 6 and 7: the journal is not trusted as root code, undo touches only what is
// still netloom's, and a journal that lost a plan record still has an undo path.

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'netloom-trust-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const ALLOWED = new Set<string>(PROGRAMS);
const runs = (argv: string[], input?: string): boolean => {
  try {
    checkArgvShape(argv, input, ALLOWED);
    return true;
  } catch {
    return false;
  }
};

const FORGED_UNDO = { argv: ['nsenter', '--net=/proc/1/ns/net', '--', 'touch', '/tmp/pwned'], command: 'nsenter --net=/proc/1/ns/net -- touch /tmp/pwned' };

describe('checkArgv looks inside programs that run programs', () => {
  it('refuses what the forged journal ran, and its cousins', () => {
    expect(runs(FORGED_UNDO.argv)).toBe(false);
    expect(runs(['ip', 'netns', 'exec', 'red', 'touch', '/tmp/x'])).toBe(false);
    expect(runs(['ip', '-all', 'netns', 'exec', 'sh', '-c', 'id'])).toBe(false);
    expect(runs(['ip', 'vrf', 'exec', 'blue', 'iptables-save'])).toBe(false);
    expect(runs(['ip', '-batch', '-'], 'link add a type bridge\nnetns exec red touch /tmp/x\n')).toBe(false);
    expect(runs(['nsenter', '--net=/run/netns/red', '--', 'ip', '-batch', '-'], 'netns exec red id\n')).toBe(false);
    expect(runs(['nsenter', '--target', '1', '--mount', '--', 'ip', 'link'])).toBe(false);
    expect(runs(['tcpdump', '-i', 'eth0', '-w', 'x', '-C', '1', '-z', '/tmp/evil'])).toBe(false);
    expect(runs(['flock', '/tmp/f', 'touch', '/tmp/x'])).toBe(false);
    expect(runs(['setpriv', '--reuid', '0', '--', 'touch', '/tmp/x'])).toBe(false);
    expect(runs(['setpriv', '--pdeathsig', 'KILL', '--', 'touch', '/tmp/x'])).toBe(false);
    expect(runs(['nsenter', '--net=/run/netns/red', '--', 'setpriv', '--pdeathsig', 'KILL', '--', 'sh'])).toBe(false);
  });

  it('lets through every form netloom itself uses', () => {
    expect(runs(['nsenter', '--net=/proc/4242/ns/net', '--', 'ip', 'link', 'add', 'b1', 'type', 'bridge'])).toBe(true);
    expect(runs(['nsenter', '--net=/run/netns/red', '--', 'iptables-restore', '-w', '5', '--noflush'], '*nat\nCOMMIT\n')).toBe(true);
    expect(runs(['ip', '-all', 'netns', 'exec', 'iptables-save', '-c'])).toBe(true);
    expect(runs(['ip', 'netns', 'exec', 'red', 'sysctl', '-n', 'net.ipv4.ip_forward'])).toBe(true);
    expect(runs(['nsenter', '--net=/run/netns/red', '--', 'setpriv', '--pdeathsig', 'KILL', '--', 'nft', '-a', 'monitor', 'trace'])).toBe(true);
    expect(runs(['ip', '-n', 'red', '-batch', '-'], 'link set dev veth0 up\nlink add v type veth peer name e netns blue\n')).toBe(true);
    expect(runs(['nsenter', '--net=/run/netns/red', '--', process.execPath, '-e', '1'])).toBe(true);
    expect(runs(['tcpdump', '-i', 'eth0', '-U', '-w', '-', '--', 'port -z'])).toBe(true);
    expect(runs(['flock', '-n', '3'])).toBe(true);
  });
});

describe('plans and journal records: only the forms the compiler writes', () => {
  it('every plan the compiler writes passes the journal schema', () => {
    const plan = compile(
      parseIntents([
        { op: 'netns.create', name: 'web' },
        { op: 'bridge.create', name: 'br9' },
        { op: 'veth.create', a: { name: 'v9' }, b: { name: 'e9', ns: 'red' } },
        { op: 'addr.add', dev: 'veth0', ns: 'red', cidr: '10.0.0.3/24' },
        { op: 'route.add', ns: 'red', dst: 'default', via: '10.0.0.1' },
        { op: 'bridge.create', name: 'b1', ns: 'ns:4026532999' },
        { op: 'link.set', name: 'veth0', ns: 'red', up: true, mtu: 1400 },
        { op: 'forwarding.set', enabled: true },
        { op: 'nat.masquerade.add', source: '10.0.0.0/24' },
        { op: 'portmap.add', proto: 'tcp', hostPort: 8080, targetIp: '10.0.0.2', targetPort: 80, hostIp: '127.0.0.1' },
        { op: 'forward.allow', source: '10.0.0.0/24', ns: 'red' },
      ]),
      contextFixture(),
    );
    expect(plan.steps.map(stepProblem)).toEqual(plan.steps.map(() => null));
  });

  it('refuses a forged undo, a sysctl netloom never sets, and an ip -batch line that runs a program', () => {
    expect(stepProblem(step(1, { undo: FORGED_UNDO }))).toMatch(/undo is not one netloom writes/);
    expect(stepProblem(step(1, { kind: 'sysctl', run: { argv: ['sysctl', '-w', 'kernel.core_pattern=|/tmp/x'], command: '' }, undo: null }))).toMatch(/command is not one/);
    const batch: PlanStep = { ...step(1), kind: 'ip-batch', run: { argv: ['ip', '-batch', '-'], input: 'netns exec red touch /tmp/x\n', command: '' }, undo: null };
    expect(stepProblem(batch)).toMatch(/command is not one/);
  });

  it('a journal with a forged plan record: the record is not part of it, so nothing of it runs', async () => {
    const good = planOf([step(1)]);
    const forged: Plan = planOf([step(1, { undo: FORGED_UNDO })]);
    const text = [
      JSON.stringify({ t: 'plan', plan: 'P1', at: 'x', body: forged }),
      JSON.stringify({ t: 'start', plan: 'P1', step: 0 }),
      JSON.stringify({ t: 'plan', plan: 'P2', at: 'x', body: good }),
    ].join('\n');
    const folded = foldJournal(text);
    expect(folded.rejected).toBe(1);
    // The forged plan's start record is left as a plan with no steps or undo: nothing to run.
    expect(folded.entries.find((e) => e.planId === 'P1')).toMatchObject({ orphan: true, done: [] });
    writeFileSync(join(dir, 'journal.jsonl'), text + '\n', { mode: 0o600 });
    const { exec, calls } = recordingExec();
    await recoverJournal(exec, new Journal(dir));
    expect(calls.map((c) => c.argv[0])).not.toContain('nsenter');
    expect(calls.flatMap((c) => c.argv)).not.toContain('touch');
  });

  it('a forged undo in a done record is refused the same way', () => {
    const rec = { t: 'done', plan: 'P1', step: 0, undo: { kind: 'ip', inv: FORGED_UNDO } };
    expect(foldJournal(JSON.stringify(rec) + '\n').rejected).toBe(1);
  });
});

describe('a journal only we could have written', () => {
  const journalWith = (mode: number, uid?: number): Journal => {
    const j = new Journal(dir);
    writeFileSync(j.file, JSON.stringify({ t: 'plan', plan: 'P1', at: 'x', body: planOf([step(1)]) }) + '\n', { mode });
    chmodSync(j.file, mode);
    if (uid !== undefined) chownSync(j.file, uid, uid);
    return j;
  };

  it('is refused when group or others may read or write it (mode 0644), and nothing runs', async () => {
    const { exec, calls } = recordingExec();
    await expect(recoverJournal(exec, journalWith(0o644))).rejects.toMatchObject({ code: 'denied', message: expect.stringContaining('mode 0644') });
    expect(calls).toEqual([]);
  });

  it('is refused when another user owns it', async () => {
    await expect(journalWith(0o600, 1000).entries()).rejects.toMatchObject({ code: 'denied', message: expect.stringContaining('belongs to uid 1000') });
  });

  it('is refused in a directory others can write, and through a symlink', async () => {
    const open = join(dir, 'open');
    mkdirSync(open, { mode: 0o777 });
    chmodSync(open, 0o777);
    const j = new Journal(open);
    writeFileSync(j.file, '', { mode: 0o600 });
    await expect(j.entries()).rejects.toMatchObject({ code: 'denied', message: expect.stringContaining('directory') });
    const linked = join(dir, 'linked');
    mkdirSync(linked, { mode: 0o700 });
    writeFileSync(join(dir, 'elsewhere'), '', { mode: 0o600 });
    symlinkSync(join(dir, 'elsewhere'), join(linked, 'journal.jsonl'));
    await expect(new Journal(linked).entries()).rejects.toThrow(/ELOOP|symbolic link/);
  });
});

describe('a plan whose plan record was lost (issue 13 item 7)', () => {
  it('its step records keep their undo: recovery rolls it back, with a warning', async () => {
    const journal = new Journal(dir);
    const id = await journal.begin(planOf([step(1), step(2), step(3)]));
    for (const k of [0, 1]) {
      await journal.append({ t: 'start', plan: id, step: k });
      await journal.append({ t: 'done', plan: id, step: k, undo: { kind: 'ip', inv: step(k + 1).undo! } });
    }
    const { readFileSync } = await import('node:fs');
    const kept = readFileSync(journal.file, 'utf8').split('\n').slice(1).join('\n');
    writeFileSync(journal.file, kept, { mode: 0o600 });
    const rec = recordingExec();
    const reports = await recoverJournal(rec.exec, new Journal(dir));
    expect(changes(rec.calls).map((c) => c.argv.join(' '))).toEqual(['ip link delete d2', 'ip link delete d1']);
    expect(reports).toMatchObject([{ orphan: true, outcome: 'rolled-back', failures: [] }]);
    expect(reports[0]?.message).toMatch(/the journal lost the record of plan/);
  });

  it('an applied one stays in the history and `undo` reverts it from the kept undos', async () => {
    const journal = new Journal(dir);
    const { exec } = recordingExec();
    await applyPlan(exec, planOf([step(1), step(2)]), { journal });
    const { readFileSync } = await import('node:fs');
    writeFileSync(journal.file, readFileSync(journal.file, 'utf8').split('\n').slice(1).join('\n'), { mode: 0o600 });
    const history = await new Journal(dir).history();
    expect(history).toMatchObject([{ orphan: true, done: [0, 1] }]);
    const rec = recordingExec();
    await undoLast(rec.exec, new Journal(dir));
    expect(changes(rec.calls).map((c) => c.argv.join(' '))).toEqual(['ip link delete d2', 'ip link delete d1']);
  });
});

describe('undo acts only on what is still netloom\'s (issue 13 item 3)', () => {
  const batch: PlanStep = {
    description: 'lab',
    kind: 'ip-batch',
    run: { argv: ['ip', '-batch', '-'], input: 'netns add web\nlink add br0 type bridge\naddr add 10.0.0.1/24 dev br0\n', command: '' },
    undo: { argv: ['ip', '-batch', '-'], input: 'addr del 10.0.0.1/24 dev br0\nlink delete br0\nnetns delete web\n', command: '' },
    lines: [
      { line: 'netns add web', undo: 'netns delete web' },
      { line: 'link add br0 type bridge', undo: 'link delete br0' },
      { line: 'addr add 10.0.0.1/24 dev br0', undo: 'addr del 10.0.0.1/24 dev br0' },
    ],
    intents: [0],
  };
  const made = { netns: [{ name: 'web', inode: 4026532100 }], links: [{ name: 'br0', ifindex: 7 }] };
  const now = (web: 'ours' | 'gone' | 'foreign', br0: 'ours' | 'gone' | 'foreign') => ({ ns: 'ours' as const, netns: new Map([['web', web]]), links: new Map([['br0', br0]]), rulesPresent: null, sysctl: null });

  it('all still ours: the whole undo', () => {
    expect(decideUndo(batch, batch.undo!, made, now('ours', 'ours'))).toEqual({ run: batch.undo });
  });

  it('a namespace made again by the user since: its line is left out, the rest is undone', () => {
    const d = decideUndo(batch, batch.undo!, made, now('foreign', 'ours'));
    expect(d).toMatchObject({ run: { argv: ['ip', '-batch', '-'], input: 'addr del 10.0.0.1/24 dev br0\nlink delete br0\n' } });
  });

  it('everything gone (undone already, before a crash): nothing runs — no second undo, no spurious failure', () => {
    expect(decideUndo(batch, batch.undo!, made, now('gone', 'gone'))).toEqual({ skip: 'gone', why: 'namespace web, link br0 already gone' });
  });

  it('the only things left are the user\'s: left alone, and said', () => {
    expect(decideUndo(batch, batch.undo!, made, now('foreign', 'foreign'))).toMatchObject({ skip: 'foreign', why: expect.stringContaining('namespace web, link br0 are not the one netloom made') });
  });

  it('rules whose ids are all gone, and a sysctl someone changed since', () => {
    const ipt: PlanStep = { ...step(1), kind: 'iptables', run: { argv: ['iptables-restore', '-w', '5', '--noflush'], input: '*nat\n-A X -m comment --comment "netloom:feed0001" -j ACCEPT\nCOMMIT\n', command: '' } };
    expect(decideUndo(ipt, ipt.undo!, { rules: ['feed0001'] }, { ns: 'ours', netns: new Map(), links: new Map(), rulesPresent: 0, sysctl: null })).toMatchObject({ skip: 'gone' });
    const sys: PlanStep = { ...step(1), kind: 'sysctl', run: { argv: ['sysctl', '-w', 'net.ipv4.ip_forward=1'], command: '' }, undo: { argv: ['sysctl', '-w', 'net.ipv4.ip_forward=0'], command: '' } };
    expect(decideUndo(sys, sys.undo!, { sysctl: [{ key: 'net.ipv4.ip_forward', value: '1' }] }, { ns: 'ours', netns: new Map(), links: new Map(), rulesPresent: null, sysctl: { verdict: 'foreign', now: '0' } })).toMatchObject({ skip: 'foreign' });
  });
});
