import { ProtocolError } from '../../../../protocol/src/index.js';
import type { HelperClient, StreamEnd } from '../../../../protocol/src/index.js';

/** A HelperClient stand-in: answers calls from a table and hands tests the open streams. */
export function fakeClient(answer: (method: string, params: Record<string, unknown>) => unknown) {
  const streams: { method: string; params: unknown; onData: (d: unknown) => void; onEnd: (e: StreamEnd) => void; cancelled: boolean }[] = [];
  const calls: { method: string; params: Record<string, unknown> }[] = [];
  const client = {
    ready: Promise.resolve({ version: '1', capabilities: [] }),
    call: async (method: string, params: Record<string, unknown>) => {
      calls.push({ method, params });
      const r = answer(method, params);
      if (r instanceof ProtocolError) throw r;
      return r;
    },
    watch: (method: string, params: unknown, onData: (d: unknown) => void, onEnd: (e: StreamEnd) => void) => {
      const s = { method, params, onData, onEnd, cancelled: false };
      streams.push(s);
      return { id: 7, cancel: () => (s.cancelled = true) };
    },
  };
  return { client: client as unknown as HelperClient, streams, calls };
}
