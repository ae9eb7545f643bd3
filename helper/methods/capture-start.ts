import { ProtocolError } from '../../protocol/src/errors.js';
import type { CaptureBatch } from '../../protocol/src/capture.js';
import { DEFAULT_RING_BYTES, startCapture } from '../streams/capture.js';
import { processCaptureBudget } from '../server/capture-budget.js';
import { effectiveFilter } from './capture-filter-default.js';
import type { StreamHandler } from './handler.js';

/**
 * `capture.start`: tcpdump on an interface, as `{batch}`es of summaries then one `{end}`; the first
 * batch is empty and comes when tcpdump listens (with `appliedFilter` when the filter was changed). The
 * handle stays in the connection's registry under the stream id, so capture.packet/follow/save
 * work during the capture and after it ended.
 */
export const captureStart: StreamHandler<'capture.start'> = {
  kind: 'stream',
  // Stop = cancel: tcpdump is stopped by the signal; its final counts and `{end}` still go out.
  finishOnCancelMs: 3000,
  run: async (params, call, sink) => {
    const { ctx, session, id } = call;
    const target = await ctx.resolveTarget(params.ns, call.signal);
    if (!target) throw new ProtocolError('not_found', `namespace ${params.ns} does not exist (any more)`, { path: 'ns' });
    const filter = effectiveFilter(ctx, target, params);
    const altered = filter !== params.filter;
    let announced = !altered;
    const batch = (b: CaptureBatch): CaptureBatch => {
      if (announced) return b;
      announced = true;
      return { ...b, appliedFilter: filter };
    };
    // Room for it first (issue 13 item 5): a refused capture starts no tcpdump.
    const lease = (ctx.captureBudget ?? processCaptureBudget).reserve(session, params.ringBytes ?? DEFAULT_RING_BYTES, () => session.captures.forget(id));
    let handle;
    try {
      handle = await startCapture(
        ctx.exec,
        (nsId) => ctx.targets.target(nsId),
        { ...params, filter },
        call.signal,
        {
          onBatch: (packets, stats) => sink.send({ batch: batch({ packets, stats }) }),
          onEnd: (end) => sink.send({ end }),
          ready: () => !sink.congested(),
        },
      );
    } catch (e) {
      lease.release();
      throw e;
    }
    session.captures.add(id, handle, lease);
    // An empty first batch once tcpdump listens: the UI knows the capture is live (traffic sent
    // from now on is seen) and, in browser mode, which filter really runs.
    sink.send({ batch: batch({ packets: [], stats: handle.stats() }) });
    const end = await handle.done;
    session.captures.ended(id);
    return { reason: end.reason, message: end.message };
  },
};
