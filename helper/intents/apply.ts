import type { CreatedId, Plan } from '../../protocol/src/plan.js';
import { ProtocolError } from '../../protocol/src/errors.js';
import type { Exec } from '../exec.js';
import type { Journal } from './journal.js';
import type { Progress } from './rollback.js';
import { failedBatchLine, kernelMessage, runStep, undoSteps } from './rollback.js';

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

/**
 * Runs a plan's steps in order. If step k fails (or is cancelled), the part of step k that ran
 * and steps k-1…1 are undone in reverse, the journal marks the plan rolled back, and the error
 * names the step, its command and the kernel's message. A plan either applies whole or not at all.
 */
export async function applyPlan(exec: Exec, plan: Plan, opts: ApplyOptions = {}): Promise<ApplyResult> {
  const started = performance.now();
  const { journal, signal } = opts;
  const planId = journal ? await journal.begin(plan) : null;
  const done: number[] = [];
  for (let k = 0; k < plan.steps.length; k++) {
    const step = plan.steps[k];
    if (!step) continue;
    let began = false;
    try {
      if (signal?.aborted) throw new ProtocolError('cancelled', 'cancelled');
      if (planId && journal) await journal.append({ t: 'start', plan: planId, step: k });
      began = true;
      await runStep(exec, step, signal);
      done.push(k);
      if (planId && journal) await journal.append({ t: 'done', plan: planId, step: k });
      await opts.afterStep?.(k);
    } catch (e) {
      const cancelled = e instanceof ProtocolError && e.code === 'cancelled';
      const order: { index: number; progress: Progress }[] = [];
      if (began && !done.includes(k) && step.kind === 'ip-batch') {
        const stderr = e instanceof ProtocolError && typeof e.details?.stderr === 'string' ? e.details.stderr : '';
        const line = failedBatchLine(stderr);
        order.push({ index: k, progress: line === null ? { kind: 'unknown' } : { kind: 'partial', linesRun: line - 1 } });
      } else if (began && !done.includes(k) && cancelled) order.push({ index: k, progress: { kind: 'unknown' } });
      for (const i of [...done].reverse()) order.push({ index: i, progress: { kind: 'done' } });
      const failures = await undoSteps(exec, plan.steps, order);
      const what = cancelled ? `cancelled during step ${k + 1} (\`${step.run.command}\`)` : `step ${k + 1} (\`${step.run.command}\`) failed: ${kernelMessage(e)}`;
      const undone =
        failures.length === 0
          ? done.length === 0
            ? 'nothing had run before it'
            : `the ${plural(done.length, 'step')} before it ${done.length === 1 ? 'was' : 'were'} undone`
          : `undoing left ${plural(failures.length, 'step')} as ${failures.length === 1 ? 'it was' : 'they were'}: ${failures.map((f) => `step ${f.step} (${f.message})`).join('; ')}`;
      if (planId && journal) {
        await journal.append({ t: 'rolled-back', plan: planId, at: new Date().toISOString(), reason: what, incomplete: failures.map((f) => `step ${f.step}: ${f.message}`) });
      }
      throw new ProtocolError(cancelled ? 'cancelled' : 'failed', `${what}; ${undone}`, {
        details: {
          step: k + 1,
          command: step.run.command,
          kernel: kernelMessage(e),
          undone: done.length,
          undoFailures: failures,
          ...(e instanceof ProtocolError && e.details ? { exec: e.details } : {}),
        },
      });
    }
  }
  if (planId && journal) await journal.append({ t: 'applied', plan: planId, at: new Date().toISOString() });
  return {
    applied: true,
    planId,
    steps: plan.steps.map((s) => ({ description: s.description, command: s.run.command })),
    ids: plan.ids,
    notes: plan.notes,
    ms: Math.round((performance.now() - started) * 10) / 10,
  };
}
