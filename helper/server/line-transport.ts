import type { Transport } from '../../protocol/src/client.js';

/**
 * What the server talks over: protocol's Transport (a pipe, a WebSocket, an in-memory
 * pair) plus an optional congestion gauge. Streams that can coalesce (topology patches)
 * ask it before sending, so a slow client never makes the helper queue without bound.
 */
export interface LineTransport extends Transport {
  /** Bytes written but not yet handed to the peer (ws.bufferedAmount, stream.writableLength). */
  bufferedAmount?(): number;
}

/** Above this many unsent bytes a transport counts as congested. */
export const CONGESTED_BYTES = 1024 * 1024;

export function isCongested(t: LineTransport, limit = CONGESTED_BYTES): boolean {
  return t.bufferedAmount !== undefined && t.bufferedAmount() > limit;
}

/** A transport's end, said once: the first reason reaches every `onClose` callback, later ones nothing. */
export function closeOnce(): { close: (reason: string) => void; onClose: (cb: (reason: string) => void) => void; closed: () => boolean } {
  const closers: ((reason: string) => void)[] = [];
  let ended = false;
  return {
    close: (reason) => {
      if (ended) return;
      ended = true;
      for (const cb of closers) cb(reason);
    },
    onClose: (cb) => void closers.push(cb),
    closed: () => ended,
  };
}
