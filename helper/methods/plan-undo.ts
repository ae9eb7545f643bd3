import { ProtocolError } from '../../protocol/src/errors.js';
import { undoLast } from '../intents/undo.js';
import type { RequestHandler } from './handler.js';
import { refreshAfter, underJournal } from './plan-views.js';

/** `plan.undo`: reverts the last applied plan (its undos in reverse, journaled). */
export const planUndo: RequestHandler<'plan.undo'> = {
  kind: 'request',
  run: async (_params, call) => {
    const { ctx } = call;
    return await underJournal(
      ctx,
      async () => {
        const last = (await ctx.journal.history()).at(-1);
        if (!last) throw new ProtocolError('not_found', 'nothing to undo: no plan applied by netloom is in effect');
        const res = await undoLast(ctx.exec, ctx.journal);
        refreshAfter(ctx, last.plan);
        const leftAlone = res.skipped.filter((s) => s.kind === 'foreign').map((s) => `step ${s.step}: ${s.why}`);
        return { planId: res.planId, steps: res.steps.map((s) => ({ ...s, undo: null })), ...(leftAlone.length ? { leftAlone } : {}) };
      },
      'plan.undo',
      call.signal,
    );
  },
};
