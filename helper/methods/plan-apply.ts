import { applyPlan } from '../intents/apply.js';
import { planIntents } from '../intents/run-intents.js';
import type { RequestHandler } from './handler.js';
import { refreshAfter, stepViews, underJournal } from './plan-views.js';

/**
 * `plan.apply`: intents → plan → applied whole or not at all, journaled (so `plan.undo` and the
 * start-up recovery can revert it), then the live watcher re-reads what it touched.
 */
export const planApply: RequestHandler<'plan.apply'> = {
  kind: 'request',
  run: async (params, call) => {
    const { ctx } = call;
    return await underJournal(
      ctx,
      async () => {
        // Compiled under the lock: another writer's plan cannot change the state in between.
        const plan = await planIntents(ctx.exec, params, { signal: call.signal });
        const res = await applyPlan(ctx.exec, plan, { journal: ctx.journal, signal: call.signal });
        refreshAfter(ctx, plan);
        return { steps: stepViews(plan), ids: res.ids, notes: res.notes, warnings: [], planId: res.planId ?? '', ms: res.ms };
      },
      'plan.apply',
      call.signal,
    );
  },
};
