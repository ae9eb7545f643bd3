import { PatchCoalescer } from '../watch/patch-coalescer.js';
import type { StreamHandler } from './handler.js';

/**
 * `topology.watch`: `{snapshot}` first, then a `{patch}` whenever something changes
 * (DESIGN §4). Runs until cancelled or the connection closes; the server ends the stream.
 */
export const topologyWatch: StreamHandler<'topology.watch'> = {
  kind: 'stream',
  run: async (_params, call, sink) => {
    let coalescer: PatchCoalescer | null = null;
    const sub = await call.ctx.topology.subscribe((next) => coalescer?.push(next), call.signal);
    if (call.signal.aborted) {
      sub.unsubscribe();
      return;
    }
    sink.send({ snapshot: sub.initial });
    coalescer = new PatchCoalescer(sub.initial, (patch) => sink.send({ patch }), () => sink.congested());
    await new Promise<void>((resolve) => call.signal.addEventListener('abort', () => resolve(), { once: true }));
    coalescer.stop();
    sub.unsubscribe();
  },
};
