import { z } from 'zod';
import type { Plan, PlanStep } from '../../protocol/src/plan.js';
import { TrustedPlan, TrustedUndo } from './plan-shape.js';
import { Made } from './step-identity.js';

/**
 * The journal's records (one JSON line each) and how they fold into one entry per plan.
 *
 *   plan         the plan, with every step's undo, before its first step runs
 *   start/done   each step; `done` keeps what the step made (step-identity.ts) and its undo
 *   applied      the plan is in effect (it enters the history)
 *   rolling-back a step failed: the steps done are being undone, each marked `undo-done`
 *   rolled-back  … and that finished
 *   undoing      `undo` began: each step undone is marked `undo-done`, then `undone`
 *
 * Every record is checked against the same schema the compiler writes (plan-shape.ts): a line
 * that fails it is not part of the journal, so a forged command is never run.
 */
const PlanRef = z.string().regex(/^[0-9A-Za-z-]{1,40}$/);
const Step = z.number().int().min(0).max(100_000);

export const Rec = z.discriminatedUnion('t', [
  z.object({ t: z.literal('plan'), plan: PlanRef, at: z.string(), body: TrustedPlan }).strict(),
  z.object({ t: z.literal('start'), plan: PlanRef, step: Step }).strict(),
  z.object({ t: z.literal('done'), plan: PlanRef, step: Step, made: Made.optional(), undo: TrustedUndo.nullable().optional() }).strict(),
  z.object({ t: z.literal('applied'), plan: PlanRef, at: z.string() }).strict(),
  z.object({ t: z.literal('rolling-back'), plan: PlanRef, at: z.string(), reason: z.string() }).strict(),
  z.object({ t: z.literal('rolled-back'), plan: PlanRef, at: z.string(), reason: z.string(), incomplete: z.array(z.string()) }).strict(),
  z.object({ t: z.literal('undoing'), plan: PlanRef, at: z.string() }).strict(),
  z.object({ t: z.literal('undo-done'), plan: PlanRef, step: Step }).strict(),
  z.object({ t: z.literal('undone'), plan: PlanRef, at: z.string(), incomplete: z.array(z.string()) }).strict(),
]);
export type JournalRecord = z.infer<typeof Rec>;

export type PlanStatus = 'pending' | 'applied' | 'rolling-back' | 'rolled-back' | 'undoing' | 'undone';

export interface JournalEntry {
  planId: string;
  at: string;
  plan: Plan;
  status: PlanStatus;
  /** Steps that completed, in order. */
  done: number[];
  /** A step that started and did not finish (the helper died during it), or null. */
  inFlight: number | null;
  /** Steps whose undo completed (during `undo` or a rollback). */
  undoDone: number[];
  /** What each done step made, by step index (absent in older journals). */
  made: Map<number, Made>;
  appliedAt: string | null;
  /**
   * The plan record was lost (a damaged line) but its step records were not: the plan is rebuilt
   * from the undos the `done` records keep, so it can still be rolled back or undone.
   */
  orphan: boolean;
}

/** Lines the fold did not accept: a torn last line is normal after a crash; anything else is reported. */
export interface Folded {
  entries: JournalEntry[];
  rejected: number;
}

type Building = JournalEntry & { started: Set<number>; undos: Map<number, z.infer<typeof TrustedUndo> | null> };

function orphanStep(index: number, undo: z.infer<typeof TrustedUndo> | null | undefined): PlanStep {
  const lost = '(the plan record was lost)';
  return {
    description: `step ${index + 1} of a plan whose record was lost`,
    kind: undo?.kind ?? 'ip',
    run: undo ? { argv: undo.inv.argv, command: lost } : { argv: ['ip'], command: lost },
    undo: undo?.inv ?? null,
    ...(undo ? {} : { irreversible: 'the plan record that held its undo was lost' }),
    intents: [],
  };
}

function newEntry(planId: string, at: string, plan: Plan | null): Building {
  return { planId, at, plan: plan ?? { version: 1, intents: [], steps: [], ids: [], notes: [] }, status: 'pending', done: [], inFlight: null, undoDone: [], made: new Map(), appliedAt: null, orphan: plan === null, started: new Set(), undos: new Map() };
}

export function foldJournal(text: string): Folded {
  const entries = new Map<string, Building>();
  let rejected = 0;
  const take = (line: string): void => {
    if (line.trim() === '') return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      // A record torn by a crash (the next append starts on a fresh line): not a warning.
      return;
    }
    const parsed = Rec.safeParse(json);
    // Well-formed JSON that is not a record netloom writes: forged or damaged, never run, counted.
    if (!parsed.success) return void rejected++;
    const r = parsed.data;
    if (r.t === 'plan') return void entries.set(r.plan, newEntry(r.plan, r.at, r.body));
    let e = entries.get(r.plan);
    if (!e) entries.set(r.plan, (e = newEntry(r.plan, 'at' in r ? r.at : '', null)));
    if (r.t === 'start') e.started.add(r.step);
    else if (r.t === 'done') {
      if (!e.done.includes(r.step)) e.done.push(r.step);
      if (r.made) e.made.set(r.step, r.made);
      if (r.undo !== undefined) e.undos.set(r.step, r.undo);
    } else if (r.t === 'applied') [e.status, e.appliedAt] = ['applied', r.at];
    else if (r.t === 'rolling-back') e.status = 'rolling-back';
    else if (r.t === 'rolled-back') e.status = 'rolled-back';
    else if (r.t === 'undoing') e.status = 'undoing';
    else if (r.t === 'undo-done') e.undoDone.push(r.step);
    else e.status = 'undone';
  };
  for (const line of text.split('\n')) take(line);
  const out = [...entries.values()].map(({ started, undos, ...e }) => {
    if (e.orphan) {
      const size = Math.max(-1, ...e.done, ...started) + 1;
      e.plan = { ...e.plan, steps: Array.from({ length: size }, (_, i) => orphanStep(i, undos.get(i))) };
    }
    return { ...e, inFlight: [...started].find((s) => !e.done.includes(s)) ?? null };
  });
  return { entries: out, rejected };
}
