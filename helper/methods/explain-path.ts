import { explainLive } from '../explain/explain-live.js';
import type { RequestHandler } from './handler.js';

/** `explain.path`: the request and response path over the current snapshot, with findings and fixes. */
export const explainPath: RequestHandler<'explain.path'> = {
  kind: 'request',
  run: async (params, call) => {
    const snapshot = await call.ctx.topology.snapshot(call.signal);
    return await explainLive(call.ctx.exec, snapshot, params, (id) => call.ctx.resolveTarget(id, call.signal), call.signal);
  },
};
