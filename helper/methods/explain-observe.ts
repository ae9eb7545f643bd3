import { observeHalf } from '../explain/probe/observe-half.js';
import type { StreamHandler } from './handler.js';

/**
 * `explain.observe`: traces this host's half of a probe another host sends (issue 14). `ready`
 * once tracing is up; `cancel` (the probe is over) or maxMs → `observed`, then the end. The grace
 * lets the drain and the take-down finish after the cancel so `observed` goes out.
 */
export const explainObserve: StreamHandler<'explain.observe'> = {
  kind: 'stream',
  finishOnCancelMs: 4000,
  run: async (params, call, sink) => {
    const snapshot = await call.ctx.topology.snapshot(call.signal);
    const observed = await observeHalf(call.ctx.exec, snapshot, params, (id) => call.ctx.resolveTarget(id), call.signal, () => sink.send({ ready: true }));
    sink.send({ observed });
  },
};
