import type { PlanStepView } from '../../protocol/src/control.js';
import type { Plan } from '../../protocol/src/plan.js';
import type { ServerContext } from '../server/context.js';

/** A plan's steps as the UI shows them: what, the exact command, and the command undoing it. */
export function stepViews(plan: Plan, only?: number[]): PlanStepView[] {
  const steps = only === undefined ? plan.steps : only.flatMap((i) => (plan.steps[i] ? [plan.steps[i]] : []));
  return steps.map((s) => ({ description: s.description, command: s.run.command, undo: s.undo?.command ?? null }));
}

/**
 * Runs a change to the network under the journal's lock, after the start-up recovery. A second
 * change (another tab, another window, a CLI apply) waits its turn — never interleaves — and is
 * refused `busy` (conflict) after 30 s, or when cancelled while waiting.
 */
export async function underJournal<T>(ctx: ServerContext, fn: () => Promise<T>, what: string, signal?: AbortSignal): Promise<T> {
  await ctx.journalReady;
  return await ctx.journal.withLock(fn, { who: `netloom helper (${what})`, ...(signal ? { signal } : {}) });
}

/** Namespace refs (names, ns:ids) a plan's intents touch, and whether namespaces come or go. */
export function touched(plan: Plan): { refs: Set<string>; rescan: boolean } {
  const refs = new Set<string>();
  let rescan = false;
  for (const i of plan.intents) {
    if (i.op === 'netns.create' || i.op === 'netns.delete') {
      rescan = true;
      refs.add(i.name);
    } else if (i.op === 'veth.create') {
      for (const end of [i.a, i.b]) if (end.ns !== undefined) refs.add(end.ns);
    } else if (i.ns !== undefined) refs.add(i.ns);
  }
  return { refs, rescan };
}

/** After netloom changed the network: ask the live watcher to re-read what the plan touched now. */
export function refreshAfter(ctx: ServerContext, plan: Plan): void {
  const { refs, rescan: listChanged } = touched(plan);
  let rescan = listChanged;
  const snap = ctx.targets.current();
  const own = snap?.namespaces.find((n) => ctx.targets.target(n.id)?.own === true)?.id;
  const ids = new Set<string>(own !== undefined ? [own] : []);
  for (const ref of refs) {
    const ns = snap?.namespaces.find((n) => n.id === ref || n.name === ref);
    if (ns) ids.add(ns.id);
    else rescan = true;
  }
  ctx.topology.poke?.([...ids], rescan);
}
