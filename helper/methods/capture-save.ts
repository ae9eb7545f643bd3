import { ProtocolError } from '../../protocol/src/errors.js';
import type { RequestHandler } from './handler.js';

/** `capture.save`: the capture as a .pcap, one chunk per call (offset 0 takes the file as it is now). */
export const captureSave: RequestHandler<'capture.save'> = {
  kind: 'request',
  run: async (params, call) => {
    const file = call.session.captures.pcap(params.stream, params.offset);
    if (params.offset > file.length) {
      throw new ProtocolError('invalid', `offset ${params.offset} is past the end of the file (${file.length} bytes)`, { path: 'offset' });
    }
    const chunk = file.subarray(params.offset, params.offset + params.maxBytes);
    const next = params.offset + chunk.length;
    return { offset: params.offset, total: file.length, data: chunk.toString('base64'), done: next >= file.length };
  },
};
