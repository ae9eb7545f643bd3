import type { Invocation, PlanStep } from '../../protocol/src/plan.js';
import type { Exec, Program } from '../exec.js';
import { ProtocolError } from '../../protocol/src/errors.js';
import type { Made } from './step-identity.js';
import { guardUndo } from './undo-guard.js';

/** How one step is undone, given how far it got. */
export type Progress = { kind: 'done' } | { kind: 'partial'; linesRun: number } | { kind: 'unknown' };

const asArgv = (argv: string[]): [Program, ...string[]] => argv as [Program, ...string[]];

/**
 * The invocation undoing a step. A finished step uses its own undo. An `ip -batch` that stopped at
 * line N ran lines 1…N-1: undo just those. A step the helper died inside (unknown) is undone
 * best-effort: `ip -force -batch` goes on past lines for things that never happened, and an
 * iptables-restore either committed or not, so its undo either applies or fails harmlessly.
 */
export function undoInvocation(step: PlanStep, progress: Progress): { inv: Invocation; tolerant: boolean } | null {
  if (step.undo === null) return null;
  if (progress.kind === 'done') return { inv: step.undo, tolerant: false };
  if (step.kind === 'ip-batch' && step.lines) {
    const ran = progress.kind === 'partial' ? step.lines.slice(0, progress.linesRun) : step.lines;
    if (ran.length === 0) return null;
    const input = [...ran].reverse().map((l) => l.undo + '\n').join('');
    const force = progress.kind === 'unknown';
    const argv = force ? insertForce(step.undo.argv) : step.undo.argv;
    return { inv: { argv, input, command: `${argv.join(' ')} <<'EOF'\n${input}EOF` }, tolerant: force };
  }
  if (progress.kind === 'partial') return null; // only batches run part-way; anything else failed as a whole
  return { inv: step.undo, tolerant: true };
}

/** `ip [-n NS] -batch -` → `ip [-n NS] -force -batch -`. */
function insertForce(argv: string[]): string[] {
  const i = argv.indexOf('-batch');
  return i < 0 ? argv : [...argv.slice(0, i), '-force', ...argv.slice(i)];
}

/** `ip -batch` names the line it stopped at: "Command failed -:3". */
export function failedBatchLine(stderr: string): number | null {
  const m = /Command failed -:(\d+)/.exec(stderr);
  return m?.[1] ? Number(m[1]) : null;
}

/** The kernel's sentence from a failed run: stderr (one line) minus ip's "Command failed" trailer. */
export function kernelMessage(e: unknown): string {
  if (e instanceof ProtocolError) {
    const stderr = typeof e.details?.stderr === 'string' ? e.details.stderr : '';
    const lines = stderr.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !/^Command failed -:\d+$/.test(l));
    const text = lines.join(' ');
    return text === '' ? e.message : text.length > 400 ? text.slice(0, 400) + '…' : text;
  }
  return e instanceof Error ? e.message : String(e);
}

export interface UndoFailure {
  step: number;
  command: string;
  message: string;
}

/** A step whose undo did not run because its things are gone already or are not netloom's any more. */
export interface UndoSkipped {
  step: number;
  kind: 'gone' | 'foreign';
  why: string;
}

export interface UndoOutcome {
  failures: UndoFailure[];
  /** Steps (or lines of a step) not undone: gone already, or no longer netloom's. */
  skipped: UndoSkipped[];
  /** What actually ran, by step index: the undo, or the part of it still netloom's. */
  ran: Map<number, Invocation>;
}

/** One step to undo: its index, how far it got, and what its `done` record says it made. */
export interface UndoItem {
  index: number;
  progress: Progress;
  made?: Made;
}

export interface UndoOptions {
  /** Journals each step as it is undone (`undo-done`), so an interrupted undo or rollback resumes, never repeats. */
  onUndone?: (index: number) => Promise<void>;
  /** Why a step must not be undone now (its namespace is gone), or null. */
  guard?: (step: PlanStep) => string | null;
}

/** Runs `inv` without a cancel signal: an undo, once started, is finished. */
export async function runUndo(exec: Exec, inv: Invocation, tolerant: boolean): Promise<void> {
  await exec.run(asArgv(inv.argv), { ...(inv.input !== undefined ? { input: inv.input } : {}), allowFailure: tolerant });
}

export async function runStep(exec: Exec, step: PlanStep, signal?: AbortSignal): Promise<void> {
  await exec.run(asArgv(step.run.argv), { ...(step.run.input !== undefined ? { input: step.run.input } : {}), ...(signal ? { signal } : {}) });
}

/**
 * Undoes steps in reverse: each index with its progress. A finished step whose `done` record
 * says what it made is undone only as far as those things are still netloom's (undo-guard.ts).
 * Every undo is tried even when one fails; the failures and the steps left alone are returned so
 * the error can say exactly what is left.
 */
export async function undoSteps(exec: Exec, steps: PlanStep[], order: UndoItem[], opts: UndoOptions = {}): Promise<UndoOutcome> {
  const failures: UndoFailure[] = [];
  const skipped: UndoSkipped[] = [];
  const ran = new Map<number, Invocation>();
  for (const { index, progress, made } of order) {
    const step = steps[index];
    if (!step) continue;
    const refused = opts.guard?.(step) ?? null;
    if (refused !== null) {
      failures.push({ step: index + 1, command: step.undo?.command ?? step.run.command, message: refused });
      continue;
    }
    const undo = undoInvocation(step, progress);
    if (undo === null) {
      if (step.undo === null && progress.kind !== 'partial') {
        failures.push({ step: index + 1, command: step.run.command, message: `cannot be undone: ${step.irreversible ?? 'irreversible'}` });
      }
      await opts.onUndone?.(index);
      continue;
    }
    try {
      const guarded = await guardUndo(exec, step, undo.inv, made);
      if ('skip' in guarded) skipped.push({ step: index + 1, kind: guarded.skip, why: guarded.why });
      else {
        if (guarded.leftOut) skipped.push({ step: index + 1, kind: guarded.leftOut.kind, why: guarded.leftOut.why });
        await runUndo(exec, guarded.run, undo.tolerant);
        ran.set(index, guarded.run);
      }
      await opts.onUndone?.(index);
    } catch (e) {
      failures.push({ step: index + 1, command: undo.inv.command, message: kernelMessage(e) });
    }
  }
  return { failures, skipped, ran };
}
