import { explainHealth as healthOf } from '../explain/health.js';
import type { RequestHandler } from './handler.js';

/** `explain.health`: every finding on the host, grouped by namespace. */
export const explainHealth: RequestHandler<'explain.health'> = {
  kind: 'request',
  run: async (_params, call) => healthOf(await call.ctx.topology.snapshot(call.signal)),
};
