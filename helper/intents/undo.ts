import { ProtocolError } from '../../protocol/src/errors.js';
import type { Exec } from '../exec.js';
import type { Journal, JournalEntry } from './journal.js';
import type { Progress, UndoFailure } from './rollback.js';
import { undoSteps } from './rollback.js';
import { enteredGuard } from './entered-guard.js';

export interface RecoveryReport {
  planId: string;
  /** `rolled-back`: a plan half applied when the helper died; `undone`: an interrupted undo finished. */
  outcome: 'rolled-back' | 'undone';
  stepsUndone: number;
  failures: UndoFailure[];
  message: string;
}

function rollbackOrder(e: JournalEntry): { index: number; progress: Progress }[] {
  const order: { index: number; progress: Progress }[] = [];
  if (e.inFlight !== null) order.push({ index: e.inFlight, progress: { kind: 'unknown' } });
  for (const i of [...e.done].reverse()) order.push({ index: i, progress: { kind: 'done' } });
  return order;
}

/** Undo order of an applied plan, skipping what an interrupted undo already reverted. */
function undoOrder(e: JournalEntry): { index: number; progress: Progress }[] {
  const remaining = [...e.done].reverse().filter((i) => !e.undoDone.includes(i));
  // The first remaining one may have been undone without being marked: its undo, run again, may fail harmlessly.
  return remaining.map((index, n) => ({ index, progress: n === 0 && e.status === 'undoing' ? { kind: 'unknown' } : { kind: 'done' } }));
}

/**
 * On helper start: every plan left `pending` (the helper died mid-apply) is rolled back — the
 * steps marked done and the one in flight, in reverse — and an interrupted `undo` is finished.
 */
export async function recoverJournal(exec: Exec, journal: Journal): Promise<RecoveryReport[]> {
  const reports: RecoveryReport[] = [];
  for (const e of await journal.entries()) {
    if (e.status !== 'pending' && e.status !== 'undoing') continue;
    const pending = e.status === 'pending';
    const order = pending ? rollbackOrder(e) : undoOrder(e);
    const guard = await enteredGuard(e.plan);
    const failures = await undoSteps(exec, e.plan.steps, order, pending ? undefined : (i) => journal.append({ t: 'undo-done', plan: e.planId, step: i }), guard);
    const at = new Date().toISOString();
    const incomplete = failures.map((f) => `step ${f.step}: ${f.message}`);
    const message = pending
      ? `plan ${e.planId} was interrupted after ${e.done.length} of ${e.plan.steps.length} steps; it was rolled back${failures.length ? ` except ${incomplete.join('; ')}` : ''}`
      : `an interrupted undo of plan ${e.planId} was finished${failures.length ? ` except ${incomplete.join('; ')}` : ''}`;
    if (pending) await journal.append({ t: 'rolled-back', plan: e.planId, at, reason: 'interrupted (helper stopped mid-plan)', incomplete });
    else await journal.append({ t: 'undone', plan: e.planId, at, incomplete });
    reports.push({ planId: e.planId, outcome: pending ? 'rolled-back' : 'undone', stepsUndone: order.length - failures.length, failures, message });
  }
  return reports;
}

export interface UndoResult {
  planId: string;
  steps: { description: string; command: string }[];
  failures: UndoFailure[];
}

/**
 * Reverts the last applied plan: its steps' undos in reverse, each marked in the journal, so an
 * undo interrupted by a crash is finished by recoverJournal. Refused (`conflict`) when a step of it
 * cannot be undone; nothing is run then.
 */
export async function undoLast(exec: Exec, journal: Journal): Promise<UndoResult> {
  const last = (await journal.history()).at(-1);
  if (!last) throw new ProtocolError('not_found', 'there is no applied plan to undo');
  const stuck = last.done.map((i) => last.plan.steps[i]).find((s) => s !== undefined && s.undo === null);
  if (stuck) {
    throw new ProtocolError('conflict', `the last plan cannot be undone: "${stuck.description}" — ${stuck.irreversible ?? 'irreversible'}`, { details: { planId: last.planId } });
  }
  const guard = await enteredGuard(last.plan);
  const gone = last.done.map((i) => last.plan.steps[i]).map((s) => (s ? guard(s) : null)).find((m) => m !== null);
  if (gone) throw new ProtocolError('conflict', `the last plan cannot be undone: ${gone}`, { details: { planId: last.planId } });
  await journal.append({ t: 'undoing', plan: last.planId, at: new Date().toISOString() });
  const order = [...last.done].reverse().map((index) => ({ index, progress: { kind: 'done' } as Progress }));
  const failures = await undoSteps(exec, last.plan.steps, order, (i) => journal.append({ t: 'undo-done', plan: last.planId, step: i }));
  await journal.append({ t: 'undone', plan: last.planId, at: new Date().toISOString(), incomplete: failures.map((f) => `step ${f.step}: ${f.message}`) });
  const steps = order.flatMap(({ index }) => {
    const s = last.plan.steps[index];
    return s?.undo ? [{ description: `undo: ${s.description}`, command: s.undo.command }] : [];
  });
  if (failures.length > 0) {
    throw new ProtocolError('failed', `undo of plan ${last.planId} left ${failures.length} step(s) as they were: ${failures.map((f) => `step ${f.step} (${f.message})`).join('; ')}`, {
      details: { planId: last.planId, failures },
    });
  }
  return { planId: last.planId, steps, failures };
}
