import type { CreatedId, Plan } from '../../protocol/src/plan.js';
import { ProtocolError } from '../../protocol/src/errors.js';
import type { Exec } from '../exec.js';
import type { Journal } from './journal.js';
import type { Progress, UndoItem } from './rollback.js';
import { failedBatchLine, kernelMessage, runStep, undoSteps } from './rollback.js';
import type { Made } from './step-identity.js';
import { readMade } from './step-identity.js';

export interface ApplyOptions {
  signal?: AbortSignal;
  /** Written before the first step and after each one; without it the plan is not undoable later. */
  journal?: Journal;
  /** Test hook: awaited after each step completes (the crash test kills the process here). */
  afterStep?: (index: number) => Promise<void>;
}

export interface ApplyResult {
  applied: true;
  planId: string | null;
  steps: { description: string; command: string }[];
  ids: CreatedId[];
  notes: string[];
  ms: number;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** A journal write that must not stop a rollback: a full disk is said in the error, not thrown. */
async function tryAppend(journal: Journal | undefined, rec: Parameters<Journal['append']>[0], lost: string[]): Promise<void> {
  if (!journal) return;
  try {
    await journal.append(rec);
  } catch (e) {
    lost.push(`${rec.t}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/**
 * Runs a plan's steps in order. After each step the journal records what it made (namespace
 * inodes, link ifindexes, rule ids: step-identity.ts), so an undo later acts only on what is
 * still netloom's. If step k fails (or is cancelled, or the journal cannot record it), the part
 * of step k that ran and steps k-1…1 are undone in reverse — each undo journaled as it happens —
 * the journal marks the plan rolled back, and the error names the step, its command and the
 * kernel's message. A plan either applies whole or not at all.
 */
export async function applyPlan(exec: Exec, plan: Plan, opts: ApplyOptions = {}): Promise<ApplyResult> {
  const started = performance.now();
  const { journal, signal } = opts;
  const planId = journal ? await journal.begin(plan) : null;
  const done: number[] = [];
  const made = new Map<number, Made>();
  let k = 0;
  let began = false;
  try {
    for (k = 0; k < plan.steps.length; k++) {
      const step = plan.steps[k];
      if (!step) continue;
      began = false;
      if (signal?.aborted) throw new ProtocolError('cancelled', 'cancelled');
      if (planId && journal) await journal.append({ t: 'start', plan: planId, step: k });
      began = true;
      await runStep(exec, step, signal);
      done.push(k);
      const m = await readMade(exec, step);
      made.set(k, m);
      if (planId && journal) await journal.append({ t: 'done', plan: planId, step: k, made: m, undo: step.undo ? { kind: step.kind, inv: step.undo } : null });
      await opts.afterStep?.(k);
    }
    if (planId && journal) await journal.append({ t: 'applied', plan: planId, at: new Date().toISOString() });
  } catch (e) {
    const step = plan.steps[k];
    const ranAll = k >= plan.steps.length;
    const command = ranAll || !step ? '(the journal)' : step.run.command;
    const cancelled = e instanceof ProtocolError && e.code === 'cancelled';
    const order: UndoItem[] = [];
    if (step && began && !done.includes(k) && step.kind === 'ip-batch') {
      const stderr = e instanceof ProtocolError && typeof e.details?.stderr === 'string' ? e.details.stderr : '';
      const line = failedBatchLine(stderr);
      order.push({ index: k, progress: line === null ? { kind: 'unknown' } : { kind: 'partial', linesRun: line - 1 } });
    } else if (step && began && !done.includes(k) && cancelled) order.push({ index: k, progress: { kind: 'unknown' } });
    for (const i of [...done].reverse()) order.push({ index: i, progress: { kind: 'done' } as Progress, ...(made.has(i) ? { made: made.get(i) } : {}) });
    const what = ranAll
      ? `the journal could not record that the plan was applied: ${kernelMessage(e)}`
      : cancelled
        ? `cancelled during step ${k + 1} (\`${command}\`)`
        : `step ${k + 1} (\`${command}\`) failed: ${kernelMessage(e)}`;
    const lost: string[] = [];
    if (planId) await tryAppend(journal, { t: 'rolling-back', plan: planId, at: new Date().toISOString(), reason: what }, lost);
    const { failures } = await undoSteps(exec, plan.steps, order, {
      onUndone: async (i) => (planId ? tryAppend(journal, { t: 'undo-done', plan: planId, step: i }, lost) : undefined),
    });
    const undone =
      failures.length === 0
        ? done.length === 0
          ? 'nothing had run before it'
          : `the ${plural(done.length, 'step')} before it ${done.length === 1 ? 'was' : 'were'} undone`
        : `undoing left ${plural(failures.length, 'step')} as ${failures.length === 1 ? 'it was' : 'they were'}: ${failures.map((f) => `step ${f.step} (${f.message})`).join('; ')}`;
    if (planId) await tryAppend(journal, { t: 'rolled-back', plan: planId, at: new Date().toISOString(), reason: what, incomplete: failures.map((f) => `step ${f.step}: ${f.message}`) }, lost);
    const journalNote = lost.length > 0 ? `; the journal could not record ${lost.length} record(s) of the rollback (${lost[0] ?? ''}) — the rollback itself ran` : '';
    throw new ProtocolError(cancelled ? 'cancelled' : 'failed', `${what}; ${undone}${journalNote}`, {
      details: {
        step: k + 1,
        command,
        kernel: kernelMessage(e),
        undone: done.length,
        undoFailures: failures,
        ...(lost.length > 0 ? { journalLost: lost } : {}),
        ...(e instanceof ProtocolError && e.details ? { exec: e.details } : {}),
      },
    });
  }
  return {
    applied: true,
    planId,
    steps: plan.steps.map((s) => ({ description: s.description, command: s.run.command })),
    ids: plan.ids,
    notes: plan.notes,
    ms: Math.round((performance.now() - started) * 10) / 10,
  };
}
