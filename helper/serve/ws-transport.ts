import type { RawData, WebSocket } from 'ws';
import type { LineTransport } from '../server/line-transport.js';

function text(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

/** A WebSocket as a line transport: each message carries one or more lines. */
export function wsTransport(ws: WebSocket): LineTransport {
  return {
    send: (t) => {
      if (ws.readyState === ws.OPEN) ws.send(t);
    },
    onText: (cb) => void ws.on('message', (data) => cb(text(data))),
    onClose: (cb) => void ws.on('close', (code) => cb(`websocket closed (${code})`)),
    close: () => ws.close(),
    bufferedAmount: () => ws.bufferedAmount,
  };
}
