import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import type { Socket } from 'node:net';

/**
 * A WebSocket client that writes frames byte by byte (RFC 6455 §5.2), so a test can send what
 * no well-behaved library would: unmasked frames, reserved bits, unknown opcodes, oversized
 * control frames, bad UTF-8. Used against `netloom serve` to show one connection cannot end it.
 */
export interface RawFrame {
  fin?: boolean;
  rsv?: number;
  opcode: number;
  payload: Buffer;
  /** Clients must mask; false sends the payload bare (a protocol error the server must refuse). */
  masked?: boolean;
  /** Claimed length when it must differ from the payload's (e.g. a 2 MiB header with no body). */
  length?: number;
}

export function encodeFrame(f: RawFrame): Buffer {
  const masked = f.masked ?? true;
  const len = f.length ?? f.payload.length;
  const head: number[] = [((f.fin ?? true) ? 0x80 : 0) | ((f.rsv ?? 0) << 4) | (f.opcode & 0x0f)];
  const maskBit = masked ? 0x80 : 0;
  if (len < 126) head.push(maskBit | len);
  else if (len < 65536) head.push(maskBit | 126, len >> 8, len & 0xff);
  else {
    head.push(maskBit | 127, 0, 0, 0, 0);
    head.push((len >>> 24) & 0xff, (len >>> 16) & 0xff, (len >>> 8) & 0xff, len & 0xff);
  }
  if (!masked) return Buffer.concat([Buffer.from(head), f.payload]);
  const key = randomBytes(4);
  const body = Buffer.from(f.payload);
  for (let i = 0; i < body.length; i++) body[i] = body[i]! ^ key[i % 4]!;
  return Buffer.concat([Buffer.from(head), key, body]);
}

/** The close frame the server sent, if any: its status code (1005 when it had none). */
function closeCodeIn(data: Buffer): number | null {
  let off = 0;
  while (off + 2 <= data.length) {
    const opcode = data[off]! & 0x0f;
    let len = data[off + 1]! & 0x7f;
    let p = off + 2;
    if (len === 126) {
      if (p + 2 > data.length) return null;
      len = data.readUInt16BE(p);
      p += 2;
    } else if (len === 127) {
      if (p + 8 > data.length) return null;
      len = Number(data.readBigUInt64BE(p));
      p += 8;
    }
    if (opcode === 0x8) return len >= 2 && p + 2 <= data.length ? data.readUInt16BE(p) : 1005;
    off = p + len;
  }
  return null;
}

export interface RawSocket {
  socket: Socket;
  /** Everything received after the handshake's headers. */
  received(): Buffer;
  send(frame: RawFrame | Buffer): void;
  /** Resolves with the server's close code (null: the socket ended without a close frame). */
  closed: Promise<number | null>;
}

/** Opens a WebSocket by hand: the upgrade request with the given headers, then raw frames. */
export function rawWebSocket(port: number, path: string, headers: Record<string, string>): Promise<RawSocket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let buf = Buffer.alloc(0);
    let upgraded = false;
    let after = Buffer.alloc(0);
    let resolveClosed!: (c: number | null) => void;
    const closed = new Promise<number | null>((r) => (resolveClosed = r));
    socket.on('error', () => {});
    socket.on('close', () => {
      if (!upgraded) reject(new Error(`no upgrade: ${buf.toString('latin1').split('\r\n')[0] ?? ''}`));
      resolveClosed(closeCodeIn(after));
    });
    socket.on('data', (chunk: Buffer) => {
      if (upgraded) {
        after = Buffer.concat([after, chunk]);
        return;
      }
      buf = Buffer.concat([buf, chunk]);
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      const status = buf.subarray(0, buf.indexOf('\r\n')).toString('latin1');
      if (!/ 101 /.test(status)) {
        socket.destroy();
        return reject(new Error(`refused: ${status}`));
      }
      upgraded = true;
      after = buf.subarray(end + 4);
      resolve({
        socket,
        received: () => after,
        send: (f) => {
          if (!socket.destroyed) socket.write(Buffer.isBuffer(f) ? f : encodeFrame(f));
        },
        closed,
      });
    });
    socket.on('connect', () => {
      const lines = [
        `GET ${path} HTTP/1.1`,
        `Host: 127.0.0.1:${port}`,
        'Upgrade: websocket',
        'Connection: Upgrade',
        `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
        'Sec-WebSocket-Version: 13',
        ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
      ];
      socket.write(lines.join('\r\n') + '\r\n\r\n');
    });
  });
}

/** The frames of issue 13 item 1, each of which used to end `netloom serve`, with the close code RFC 6455 asks for. */
export function hostileFrames(): { name: string; frames: (RawFrame | Buffer)[]; code: number }[] {
  const text = (s: string | Buffer, more: Partial<RawFrame> = {}): RawFrame => ({ opcode: 0x1, payload: Buffer.isBuffer(s) ? s : Buffer.from(s), ...more });
  return [
    { name: 'a message over 1 MiB', frames: [text('x'.repeat(2_000_000))], code: 1009 },
    { name: 'a 2 MiB length with no body', frames: [text(Buffer.alloc(0), { length: 2_000_000 })], code: 1009 },
    { name: 'bad UTF-8', frames: [text(Buffer.from([0xc3, 0x28, 0xff]))], code: 1007 },
    { name: 'RSV1 set (no extension agreed)', frames: [text('{}', { rsv: 4 })], code: 1002 },
    { name: 'an unmasked frame', frames: [text('{}', { masked: false })], code: 1002 },
    { name: 'an unknown opcode', frames: [{ opcode: 0x3, payload: Buffer.from('x') }], code: 1002 },
    { name: 'a 200-byte ping', frames: [{ opcode: 0x9, payload: Buffer.alloc(200, 1) }], code: 1002 },
    { name: 'a bad close code', frames: [{ opcode: 0x8, payload: Buffer.from([0x03, 0xe7]) }], code: 1002 },
    { name: 'a fragmented ping', frames: [{ opcode: 0x9, fin: false, payload: Buffer.from('p') }], code: 1002 },
    { name: 'an orphan continuation', frames: [{ opcode: 0x0, payload: Buffer.from('x') }], code: 1002 },
  ];
}
