import { ProtocolError } from '../../protocol/src/errors.js';
import { compileFilter } from '../streams/capture-filter.js';
import type { RequestHandler } from './handler.js';

/** `capture.checkFilter`: `tcpdump -d` on the interface; a bad expression is `invalid` at path `filter`. */
export const captureCheckFilter: RequestHandler<'capture.checkFilter'> = {
  kind: 'request',
  run: async (params, call) => {
    const target = await call.ctx.resolveTarget(params.ns, call.signal);
    if (!target) throw new ProtocolError('not_found', `namespace ${params.ns} does not exist (any more)`, { path: 'ns' });
    await compileFilter(call.ctx.exec, target, params.interface, params.filter, call.signal);
    return { ok: true as const };
  },
};
