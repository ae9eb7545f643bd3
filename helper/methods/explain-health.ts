import { healthLive } from '../explain/explain-live.js';
import type { RequestHandler } from './handler.js';

/** `explain.health`: every finding on the host, grouped by namespace. */
export const explainHealth: RequestHandler<'explain.health'> = {
  kind: 'request',
  run: async (_params, call) => {
    const snapshot = await call.ctx.topology.snapshot(call.signal);
    return await healthLive(call.ctx.exec, snapshot, (id) => call.ctx.resolveTarget(id, call.signal), call.signal);
  },
};
