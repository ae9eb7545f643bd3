import type { RequestHandler } from './handler.js';

/** `topology.get`: the whole snapshot, fresh while a live watcher keeps it so. */
export const topologyGet: RequestHandler<'topology.get'> = {
  kind: 'request',
  run: async (_params, call) => await call.ctx.topology.snapshot(call.signal),
};
