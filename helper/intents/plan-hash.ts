import { createHash } from 'node:crypto';
import type { Plan } from '../../protocol/src/plan.js';

/**
 * sha256 of what a plan runs and undoes, step by step: argv, stdin, and the commands shown for
 * them. plan.preview returns it; plan.apply recompiles with the preview's rule ids and runs the
 * plan only when its hash is the same — the commands a person read are the ones that run.
 */
export function planHash(plan: Plan): string {
  const steps = plan.steps.map((s) => [s.description, s.run.argv, s.run.input ?? null, s.run.command, s.undo?.argv ?? null, s.undo?.input ?? null, s.undo?.command ?? null]);
  return createHash('sha256').update(JSON.stringify(steps)).digest('hex');
}

/** Hands out the previewed rule ids in the order compile asks for them, then fresh ones (which change the hash). */
export function idsFrom(ids: readonly string[], fresh: () => string): () => string {
  let next = 0;
  return () => ids[next++] ?? fresh();
}
