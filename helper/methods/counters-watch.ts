import { startCounters } from '../streams/counters.js';
import type { StreamHandler } from './handler.js';

/** How often a sample held back for a slow client is retried. */
const RESUME_MS = 100;

/**
 * `counters.watch`: every interface's rates and totals once a period. It joins the live topology
 * (so the cache maps names to ids for new interfaces too) until the stream ends.
 */
export const countersWatch: StreamHandler<'counters.watch'> = {
  kind: 'stream',
  run: async (params, call, sink) => {
    const sub = await call.ctx.topology.subscribe(() => {}, call.signal);
    if (call.signal.aborted) return sub.unsubscribe();
    const handle = startCounters(call.ctx.exec, call.ctx.targets, params, call.signal, {
      onSample: (s) => sink.send(s),
      ready: () => !sink.congested(),
    });
    const resume = setInterval(() => !sink.congested() && handle.resume(), RESUME_MS);
    await new Promise<void>((resolve) => call.signal.addEventListener('abort', () => resolve(), { once: true }));
    clearInterval(resume);
    handle.stop();
    sub.unsubscribe();
  },
};
