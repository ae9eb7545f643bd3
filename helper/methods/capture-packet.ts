import { ProtocolError } from '../../protocol/src/errors.js';
import type { RequestHandler } from './handler.js';

/** `capture.packet`: one packet from a capture's ring, bytes (base64) and decode tree. */
export const capturePacket: RequestHandler<'capture.packet'> = {
  kind: 'request',
  run: async (params, call) => {
    const p = call.session.captures.get(params.stream).packet(params.n);
    if (!p) throw new ProtocolError('not_found', `packet ${params.n} is not in the capture's ring (not captured yet, or evicted to stay within its size)`, { path: 'n' });
    return { summary: p.summary, linktype: p.linktype, bytes: p.bytes.toString('base64'), tree: p.tree };
  },
};
