import { TAKEN_OVER_CLOSE_CODE, TAKEN_OVER_REASON } from '../../../protocol/src/index.js';
import type { Transport } from '../../../protocol/src/index.js';

/** Browser mode: the protocol's JSON lines over one WebSocket to `netloom serve`. */
export function webSocketTransport(url: string): Transport {
  const ws = new WebSocket(url);
  const queued: string[] = [];
  let closed = false;
  ws.addEventListener('open', () => {
    for (const t of queued.splice(0)) ws.send(t);
  });
  return {
    send: (text) => {
      if (ws.readyState === WebSocket.OPEN) ws.send(text);
      else if (ws.readyState === WebSocket.CONNECTING) queued.push(text);
    },
    onText: (cb) => {
      ws.addEventListener('message', (e: MessageEvent) => {
        if (typeof e.data === 'string') cb(e.data);
      });
    },
    onClose: (cb) => {
      ws.addEventListener('close', (e: CloseEvent) => {
        if (closed) return;
        closed = true;
        // Another page took the session over: the reason is the one constant the page acts on.
        if (e.code === TAKEN_OVER_CLOSE_CODE) return cb(TAKEN_OVER_REASON);
        // A refused upgrade (no session: this browser never opened the printed link) gives 1006 and no reason.
        cb(e.reason || (e.code === 1006 ? 'the connection to netloom serve was lost (or this browser has no session: open the URL netloom serve printed)' : `connection closed (${e.code})`));
      });
    },
    close: () => ws.close(),
  };
}
