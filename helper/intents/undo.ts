import { ProtocolError } from '../../protocol/src/errors.js';
import type { Exec } from '../exec.js';
import type { Journal, JournalEntry } from './journal.js';
import type { UndoFailure, UndoItem, UndoSkipped } from './rollback.js';
import { undoSteps } from './rollback.js';
import { enteredGuard } from './entered-guard.js';

export interface RecoveryReport {
  planId: string;
  /** `rolled-back`: a plan half applied (or half rolled back) when the helper died; `undone`: an interrupted undo finished. */
  outcome: 'rolled-back' | 'undone';
  stepsUndone: number;
  failures: UndoFailure[];
  /** Steps not undone because their things were gone already or are not netloom's any more. */
  skipped: UndoSkipped[];
  /** The plan record was lost; its steps were undone from what their own records kept. */
  orphan: boolean;
  message: string;
}

const item = (e: JournalEntry, index: number, unknown: boolean): UndoItem => {
  const made = e.made.get(index);
  return { index, progress: unknown ? { kind: 'unknown' } : { kind: 'done' }, ...(made ? { made } : {}) };
};

/** Rollback order of a plan left pending or rolling back: the step in flight, then the done ones, in reverse — minus what a rollback already undid. */
function rollbackOrder(e: JournalEntry): UndoItem[] {
  const order: UndoItem[] = [];
  if (e.inFlight !== null && !e.undoDone.includes(e.inFlight)) order.push(item(e, e.inFlight, true));
  for (const i of [...e.done].reverse()) if (!e.undoDone.includes(i)) order.push(item(e, i, e.orphan));
  return order;
}

/** Undo order of an applied plan, skipping what an interrupted undo already reverted. */
function undoOrder(e: JournalEntry): UndoItem[] {
  const remaining = [...e.done].reverse().filter((i) => !e.undoDone.includes(i));
  // The first remaining one may have been undone without being marked. Its identities (when
  // recorded) tell; without them its undo, run again, may fail harmlessly.
  return remaining.map((index, n) => item(e, index, e.orphan || (n === 0 && e.status === 'undoing' && !e.made.has(index))));
}

const describe = (f: UndoFailure[], s: UndoSkipped[]): string => {
  const parts: string[] = [];
  if (f.length) parts.push(` except ${f.map((x) => `step ${x.step}: ${x.message}`).join('; ')}`);
  const foreign = s.filter((x) => x.kind === 'foreign');
  if (foreign.length) parts.push(`; left alone as not netloom's: ${foreign.map((x) => `step ${x.step} (${x.why})`).join('; ')}`);
  return parts.join('');
};

/**
 * On helper start: every plan left `pending` or `rolling-back` (the helper died mid-apply or
 * mid-rollback) is rolled back — the steps marked done and the one in flight, in reverse, minus
 * those a rollback already undid — and an interrupted `undo` is finished. Every undo first checks
 * that what the step made is still netloom's (undo-guard.ts): recovery never undoes twice, and
 * never touches what the user made since. A plan whose record was lost is rolled back from the
 * undos its step records kept, with a warning.
 */
export async function recoverJournal(exec: Exec, journal: Journal): Promise<RecoveryReport[]> {
  const reports: RecoveryReport[] = [];
  for (const e of await journal.entries()) {
    if (e.status !== 'pending' && e.status !== 'rolling-back' && e.status !== 'undoing') continue;
    const rollingBack = e.status !== 'undoing';
    const order = rollingBack ? rollbackOrder(e) : undoOrder(e);
    const guard = await enteredGuard(e.plan);
    const { failures, skipped } = await undoSteps(exec, e.plan.steps, order, {
      onUndone: (i) => journal.append({ t: 'undo-done', plan: e.planId, step: i }),
      guard,
    });
    const at = new Date().toISOString();
    const incomplete = failures.map((f) => `step ${f.step}: ${f.message}`);
    const lost = e.orphan ? `the journal lost the record of plan ${e.planId} (its ${e.done.length} finished step(s) kept their own undo); ` : '';
    const message = rollingBack
      ? `${lost}plan ${e.planId} was interrupted after ${e.done.length} of ${e.orphan ? '?' : e.plan.steps.length} steps; it was rolled back${describe(failures, skipped)}`
      : `${lost}an interrupted undo of plan ${e.planId} was finished${describe(failures, skipped)}`;
    if (rollingBack) await journal.append({ t: 'rolled-back', plan: e.planId, at, reason: 'interrupted (helper stopped mid-plan)', incomplete });
    else await journal.append({ t: 'undone', plan: e.planId, at, incomplete });
    reports.push({ planId: e.planId, outcome: rollingBack ? 'rolled-back' : 'undone', stepsUndone: order.length - failures.length - skipped.length, failures, skipped, orphan: e.orphan, message });
  }
  if (reports.length > 0) await journal.settled();
  return reports;
}

export interface UndoResult {
  planId: string;
  steps: { description: string; command: string }[];
  failures: UndoFailure[];
  skipped: UndoSkipped[];
}

/**
 * Reverts the last applied plan: its steps' undos in reverse, each marked in the journal, so an
 * undo interrupted by a crash is finished by recoverJournal; each only as far as what the step
 * made is still netloom's. Refused (`conflict`) when a step of it cannot be undone; nothing is
 * run then.
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
  const order = [...last.done].reverse().map((index) => item(last, index, last.orphan));
  const { failures, skipped, ran } = await undoSteps(exec, last.plan.steps, order, { onUndone: (i) => journal.append({ t: 'undo-done', plan: last.planId, step: i }) });
  await journal.append({ t: 'undone', plan: last.planId, at: new Date().toISOString(), incomplete: failures.map((f) => `step ${f.step}: ${f.message}`) });
  const steps = order.flatMap(({ index }) => {
    const s = last.plan.steps[index];
    const inv = ran.get(index);
    return s && inv ? [{ description: `undo: ${s.description}`, command: inv.command }] : [];
  });
  if (failures.length > 0) {
    throw new ProtocolError('failed', `undo of plan ${last.planId} left ${failures.length} step(s) as they were: ${failures.map((f) => `step ${f.step} (${f.message})`).join('; ')}`, {
      details: { planId: last.planId, failures, skipped },
    });
  }
  return { planId: last.planId, steps, failures, skipped };
}
