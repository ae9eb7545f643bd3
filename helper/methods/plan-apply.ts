import { ProtocolError } from '../../protocol/src/errors.js';
import { applyPlan } from '../intents/apply.js';
import { newRuleId } from '../intents/compile.js';
import { idsFrom, planHash } from '../intents/plan-hash.js';
import { planIntents } from '../intents/run-intents.js';
import type { RequestHandler } from './handler.js';
import { refreshAfter, stepViews, underJournal } from './plan-views.js';

/**
 * `plan.apply`: intents → plan → applied whole or not at all, journaled (so `plan.undo` and the
 * start-up recovery can revert it), then the live watcher re-reads what it touched. With the
 * preview's ids and hash, the plan is compiled again against the live state with those ids and
 * runs only if it is byte for byte the plan the person was shown.
 */
export const planApply: RequestHandler<'plan.apply'> = {
  kind: 'request',
  run: async (params, call) => {
    const { ctx } = call;
    const { preview } = params;
    return await underJournal(
      ctx,
      async () => {
        // Compiled under the lock: another writer's plan cannot change the state in between.
        const plan = await planIntents(ctx.exec, { intents: params.intents }, { signal: call.signal, ...(preview ? { newId: idsFrom(preview.ids, newRuleId) } : {}) });
        const hash = planHash(plan);
        if (preview && hash !== preview.planHash) {
          throw new ProtocolError('conflict', 'the network changed since this plan was previewed, so its commands would no longer be the ones shown — preview it again', {
            path: 'preview.planHash',
          });
        }
        const res = await applyPlan(ctx.exec, plan, { journal: ctx.journal, signal: call.signal });
        refreshAfter(ctx, plan);
        return { steps: stepViews(plan), ids: res.ids, notes: res.notes, warnings: [], planId: res.planId ?? '', ms: res.ms, planHash: hash };
      },
      'plan.apply',
      call.signal,
    );
  },
};
