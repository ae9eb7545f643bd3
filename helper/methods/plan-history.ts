import type { RequestHandler } from './handler.js';
import { stepViews } from './plan-views.js';

/** `plan.history`: applied plans still in effect, newest first. */
export const planHistory: RequestHandler<'plan.history'> = {
  kind: 'request',
  run: async (_params, call) => {
    await call.ctx.journalReady;
    const entries = await call.ctx.journal.history();
    return {
      plans: entries.reverse().map((e) => ({
        planId: e.planId,
        at: e.appliedAt ?? e.at,
        steps: stepViews(e.plan, e.done),
        ids: e.plan.ids,
        undoable: e.done.every((i) => e.plan.steps[i]?.undo != null),
      })),
    };
  },
};
