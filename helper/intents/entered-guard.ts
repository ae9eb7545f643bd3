import { stat } from 'node:fs/promises';
import type { Plan, PlanStep } from '../../protocol/src/plan.js';

/**
 * Before undoing a plan from the journal (maybe after a restart): a namespace the plan entered by
 * /proc/PID/ns/net is only the same namespace if that path still has the same inode — the process
 * may have exited and its pid been reused. Steps touching a namespace that is gone are refused.
 */
export async function enteredGuard(plan: Plan): Promise<(step: PlanStep) => string | null> {
  const gone: { id: string; path: string; pid: string | null }[] = [];
  for (const e of plan.entered ?? []) {
    const inode = await stat(e.path).then((s) => `ns:${s.ino}`, () => null);
    if (inode !== e.id) gone.push({ ...e, pid: /^\/proc\/(\d+)\//.exec(e.path)?.[1] ?? null });
  }
  if (gone.length === 0) return () => null;
  return (step) => {
    const undo = step.undo;
    if (!undo) return null;
    const text = `${undo.argv.join(' ')}\n${undo.input ?? ''}`;
    const hit = gone.find((g) => text.includes(`--net=${g.path}`) || (g.pid !== null && new RegExp(`netns ${g.pid}(\\s|$)`).test(text)));
    return hit ? `namespace ${hit.id} (entered through ${hit.path}) is gone; not undone` : null;
  };
}
