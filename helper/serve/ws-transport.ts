import type { RawData, WebSocket } from 'ws';
import type { LineTransport } from '../server/line-transport.js';

function text(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

/**
 * A WebSocket as a line transport: each message carries one or more lines.
 *
 * A malformed frame (too big, bad UTF-8, reserved bits, unmasked, unknown opcode, a bad
 * control frame) makes `ws` close that connection with the status RFC 6455 asks for
 * (1009, 1007, 1002) and then emit 'error' on the socket. An EventEmitter with no 'error'
 * listener throws, which ended the whole root helper (issue 13): the listener below is what
 * keeps one hostile page from taking `netloom serve` down. The close that follows ends the
 * connection's requests and streams as any close does.
 */
export function wsTransport(ws: WebSocket, log: (m: string) => void = () => {}): LineTransport {
  ws.on('error', (e: Error & { code?: string }) => log(`netloom serve: closed a WebSocket after a bad frame (${e.code ?? 'error'}: ${e.message})`));
  return {
    send: (t) => {
      // A long message's parts (framing.ts) go as one WebSocket message each, like every line.
      if (ws.readyState !== ws.OPEN) return;
      if (t.indexOf('\n') === t.length - 1) ws.send(t);
      else for (const line of t.split(/(?<=\n)/)) ws.send(line);
    },
    onText: (cb) => void ws.on('message', (data) => cb(text(data))),
    onClose: (cb) => void ws.on('close', (code) => cb(`websocket closed (${code})`)),
    close: () => ws.close(),
    bufferedAmount: () => ws.bufferedAmount,
  };
}
