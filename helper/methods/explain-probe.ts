import { runProbe } from '../explain/probe/run-probe.js';
import type { RequestHandler } from './handler.js';

/** `explain.probe`: a bounded real test from inside the source namespace; cancel kills it. */
export const explainProbe: RequestHandler<'explain.probe'> = {
  kind: 'request',
  run: async (params, call) => {
    const snapshot = await call.ctx.topology.snapshot(call.signal);
    return await runProbe(call.ctx.exec, snapshot, params, (id) => call.ctx.resolveTarget(id, call.signal), call.signal);
  },
};
