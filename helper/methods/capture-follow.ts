import { ProtocolError } from '../../protocol/src/errors.js';
import type { RequestHandler } from './handler.js';

/** `capture.follow`: the TCP conversation packet n belongs to, from the ring. */
export const captureFollow: RequestHandler<'capture.follow'> = {
  kind: 'request',
  run: async (params, call) => {
    const f = call.session.captures.get(params.stream).follow(params.n);
    if (!f) throw new ProtocolError('not_found', `packet ${params.n} is not a TCP packet still in the capture's ring`, { path: 'n' });
    return { client: f.client, server: f.server, truncated: f.truncated, segments: f.segments.map((s) => ({ n: s.n, fromClient: s.fromClient, data: s.data.toString('base64') })) };
  },
};
