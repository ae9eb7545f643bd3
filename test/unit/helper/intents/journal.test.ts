import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyPlan } from '../../../../helper/intents/apply.js';
import { Journal } from '../../../../helper/intents/journal.js';
import { recoverJournal, undoLast } from '../../../../helper/intents/undo.js';
import { changes, recordingExec } from './fake-exec.js';
import type { Call } from './fake-exec.js';
import { planOf, step } from './plan-fixture.js';

const lines = (calls: Call[]) => changes(calls).map((c) => c.argv.join(' '));

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'netloom-journal-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('journal', () => {
  it('an applied plan is written before it runs, each step marked, and enters the history', async () => {
    const journal = new Journal(dir);
    const { exec } = recordingExec();
    const r = await applyPlan(exec, planOf([step(1), step(2)]), { journal });
    const recs = (await readFile(journal.file, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { t: string });
    expect(recs.map((x) => x.t)).toEqual(['plan', 'start', 'done', 'start', 'done', 'applied']);
    const history = await journal.history();
    expect(history.map((e) => e.planId)).toEqual([r.planId]);
    expect(history[0]).toMatchObject({ status: 'applied', done: [0, 1], inFlight: null });
  });

  it('a rolled-back plan never enters the history', async () => {
    const journal = new Journal(dir);
    const { exec } = recordingExec({ fail: (c) => (c.argv.includes('d2') && c.argv.includes('add') ? 'no' : null) });
    await expect(applyPlan(exec, planOf([step(1), step(2)]), { journal })).rejects.toMatchObject({ code: 'failed' });
    expect(await journal.history()).toEqual([]);
    expect((await journal.entries())[0]?.status).toBe('rolled-back');
  });

  it('recoverJournal rolls back a plan left pending (helper killed mid-plan): the step in flight and the done ones, in reverse', async () => {
    const journal = new Journal(dir);
    const id = await journal.begin(planOf([step(1), step(2), step(3)]));
    await journal.append({ t: 'start', plan: id, step: 0 });
    await journal.append({ t: 'done', plan: id, step: 0 });
    await journal.append({ t: 'start', plan: id, step: 1 });
    await journal.append({ t: 'done', plan: id, step: 1 });
    await journal.append({ t: 'start', plan: id, step: 2 });
    await appendFile(journal.file, '{"t":"done","pla'); // torn write as the process died
    const { exec, calls } = recordingExec({ fail: (c) => (c.argv.includes('d3') ? 'Cannot find device "d3"' : null) });
    const reports = await recoverJournal(exec, journal);
    // Step 3 may or may not have run: its undo is tried tolerantly (it fails here: it had not).
    expect(lines(calls)).toEqual(['ip link delete d3', 'ip link delete d2', 'ip link delete d1']);
    expect(reports).toMatchObject([{ planId: id, outcome: 'rolled-back', failures: [] }]);
    expect(reports[0]?.message).toMatch(/interrupted after 2 of 3 steps; it was rolled back/);
    expect((await journal.entries())[0]?.status).toBe('rolled-back');
    expect(await recoverJournal(exec, journal)).toEqual([]); // done once
  });

  it('undo reverts the last applied plan, across a new Journal (a restart), then the one before', async () => {
    const { exec, calls } = recordingExec();
    await applyPlan(exec, planOf([step(1), step(2)]), { journal: new Journal(dir) });
    const second = await applyPlan(exec, planOf([step(3)]), { journal: new Journal(dir) });
    calls.length = 0;
    const u = await undoLast(exec, new Journal(dir));
    expect(u.planId).toBe(second.planId);
    expect(lines(calls)).toEqual(['ip link delete d3']);
    calls.length = 0;
    await undoLast(exec, new Journal(dir));
    expect(lines(calls)).toEqual(['ip link delete d2', 'ip link delete d1']);
    await expect(undoLast(exec, new Journal(dir))).rejects.toMatchObject({ code: 'not_found' });
  });

  it('undo of a plan with an irreversible step is refused and runs nothing', async () => {
    const { exec, calls } = recordingExec();
    await applyPlan(exec, planOf([step(1, { undo: null, irreversible: 'namespace deleted' })]), { journal: new Journal(dir) });
    calls.length = 0;
    await expect(undoLast(exec, new Journal(dir))).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('namespace deleted') });
    expect(calls).toEqual([]);
  });

  it('an undo interrupted half way is finished by recoverJournal', async () => {
    const journal = new Journal(dir);
    const { exec, calls } = recordingExec();
    const r = await applyPlan(exec, planOf([step(1), step(2), step(3)]), { journal });
    const id = r.planId ?? '';
    await journal.append({ t: 'undoing', plan: id, at: 'now' });
    await journal.append({ t: 'undo-done', plan: id, step: 2 });
    calls.length = 0;
    const reports = await recoverJournal(exec, journal);
    expect(lines(calls)).toEqual(['ip link delete d2', 'ip link delete d1']);
    expect(reports).toMatchObject([{ outcome: 'undone' }]);
    expect(await journal.history()).toEqual([]);
  });
});

describe('namespaces entered by a process path', () => {
  it('the plan records them; undo refuses when the path no longer leads to the same namespace (pid reused)', async () => {
    const { compile } = await import('../../../../helper/intents/compile.js');
    const { parseIntents } = await import('../../../../protocol/src/index.js');
    const { contextFixture } = await import('./context-fixture.js');
    const p = compile(parseIntents([{ op: 'bridge.create', name: 'b1', ns: 'ns:4026532999' }]), contextFixture());
    expect(p.entered).toEqual([{ id: 'ns:4026532999', path: '/proc/4242/ns/net' }]);
    const journal = new Journal(dir);
    const { exec, calls } = recordingExec();
    await applyPlan(exec, p, { journal });
    calls.length = 0;
    // /proc/4242/ns/net is not that namespace here: whatever holds pid 4242 now, if anything.
    await expect(undoLast(exec, journal)).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('namespace ns:4026532999 (entered through /proc/4242/ns/net) is gone') });
    expect(calls).toEqual([]);
    expect(await journal.history()).toHaveLength(1);
  });

  it('named namespaces need no such check', async () => {
    const { compile } = await import('../../../../helper/intents/compile.js');
    const { parseIntents } = await import('../../../../protocol/src/index.js');
    const { contextFixture } = await import('./context-fixture.js');
    expect(compile(parseIntents([{ op: 'bridge.create', name: 'b1', ns: 'red' }]), contextFixture()).entered).toBeUndefined();
  });
});
