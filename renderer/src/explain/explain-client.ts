import type { AbortSignalLike, ParamsOf, ResultOf } from '../../../protocol/src/index.js';

/** The explain methods (issue 7) plus the plan methods its fixes go through (DESIGN §5). */
export type ExplainMethod = 'explain.path' | 'explain.health' | 'explain.probe' | 'plan.preview' | 'plan.apply' | 'plan.history' | 'plan.undo';

/** The part of HelperClient the explain views need; tests pass a fake. It is a ControlClient too. */
export interface ExplainClient {
  call<M extends ExplainMethod>(method: M, params: ParamsOf<M>, signal?: AbortSignalLike): Promise<ResultOf<M>>;
}
