import { describe, expect, it } from 'vitest';
import { applyPlan } from '../../../../helper/intents/apply.js';
import { changes, recordingExec } from './fake-exec.js';
import { planOf, step } from './plan-fixture.js';

const failOn = (name: string, stderr: string) => (c: { argv: string[] }) => (c.argv.includes(name) && c.argv.includes('add') ? stderr : null);

describe('applyPlan', () => {
  it('runs every step in order and reports the commands', async () => {
    const { exec, calls } = recordingExec();
    const r = await applyPlan(exec, planOf([step(1), step(2)]));
    expect(changes(calls).map((c) => c.argv.join(' '))).toEqual(['ip link add d1 type bridge', 'ip link add d2 type bridge']);
    expect(r).toMatchObject({ applied: true, planId: null, steps: [{ command: 'ip link add d1 type bridge' }, { command: 'ip link add d2 type bridge' }] });
  });

  it('step 3 fails → steps 2 then 1 are undone, in that order, and the error names step 3 and the kernel', async () => {
    const { exec, calls } = recordingExec({ fail: failOn('d3', 'RTNETLINK answers: File exists\n') });
    const err = await applyPlan(exec, planOf([step(1), step(2), step(3), step(4)])).catch((e: unknown) => e);
    expect(changes(calls).map((c) => c.argv.join(' '))).toEqual([
      'ip link add d1 type bridge',
      'ip link add d2 type bridge',
      'ip link add d3 type bridge',
      'ip link delete d2',
      'ip link delete d1',
    ]);
    expect(err).toMatchObject({
      code: 'failed',
      message: 'step 3 (`ip link add d3 type bridge`) failed: RTNETLINK answers: File exists; the 2 steps before it were undone',
      details: { step: 3, undone: 2, undoFailures: [] },
    });
  });

  it('an ip batch that stops at line 3 undoes its lines 2 and 1, then the steps before', async () => {
    const batch = step(2, {
      kind: 'ip-batch',
      run: { argv: ['ip', '-n', 'red', '-batch', '-'], input: 'a1\na2\na3\na4\n', command: 'ip -n red -batch - …' },
      undo: { argv: ['ip', '-n', 'red', '-batch', '-'], input: 'u4\nu3\nu2\nu1\n', command: '…' },
      lines: ['1', '2', '3', '4'].map((n) => ({ line: `a${n}`, undo: `u${n}` })),
    });
    const { exec, calls } = recordingExec({ fail: (c) => (c.input === 'a1\na2\na3\na4\n' ? 'Cannot find device "x"\nCommand failed -:3\n' : null) });
    const err = await applyPlan(exec, planOf([step(1), batch])).catch((e: unknown) => e);
    expect(changes(calls).slice(2)).toEqual([{ argv: ['ip', '-n', 'red', '-batch', '-'], input: 'u2\nu1\n' }, { argv: ['ip', 'link', 'delete', 'd1'] }]);
    expect(err).toMatchObject({ code: 'failed', message: expect.stringContaining('failed: Cannot find device "x"; the 1 step before it was undone') });
  });

  it('an irreversible step already done is named in the error', async () => {
    const { exec } = recordingExec({ fail: failOn('d2', 'boom') });
    const err = await applyPlan(exec, planOf([step(1, { undo: null, irreversible: 'gone for good' }), step(2)])).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'failed', message: expect.stringContaining('step 1 (cannot be undone: gone for good)') });
  });

  it('an undo that fails does not stop the other undos, and the error says what is left', async () => {
    const { exec, calls } = recordingExec({ fail: (c) => (c.argv.join(' ') === 'ip link add d3 type bridge' ? 'no' : c.argv.join(' ') === 'ip link delete d2' ? 'busy' : null) });
    const err = await applyPlan(exec, planOf([step(1), step(2), step(3)])).catch((e: unknown) => e);
    expect(changes(calls).at(-1)?.argv).toEqual(['ip', 'link', 'delete', 'd1']);
    expect(err).toMatchObject({ details: { undoFailures: [{ step: 2, message: 'busy' }] } });
  });

  it('cancellation before a step undoes what ran and reports cancelled', async () => {
    const ac = new AbortController();
    const { exec, calls } = recordingExec();
    const err = await applyPlan(exec, planOf([step(1), step(2), step(3)]), {
      signal: ac.signal,
      afterStep: async (i) => {
        if (i === 1) ac.abort();
      },
    }).catch((e: unknown) => e);
    expect(changes(calls).map((c) => c.argv.join(' '))).toEqual(['ip link add d1 type bridge', 'ip link add d2 type bridge', 'ip link delete d2', 'ip link delete d1']);
    expect(err).toMatchObject({ code: 'cancelled' });
  });
});
