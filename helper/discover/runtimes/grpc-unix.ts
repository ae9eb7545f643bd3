import { connect as http2Connect, type ClientHttp2Session } from 'node:http2';
import { connect as netConnect } from 'node:net';
import { RuntimeUnreachable } from './unix-http.js';

/**
 * Unary gRPC calls over HTTP/2 on a Unix socket (the CRI's transport), with node:http2 and
 * nothing else: one 5-byte-framed request message, one framed answer, the status in the
 * trailers. One session per snapshot read; every call has a hard timeout, so a hung runtime
 * never holds up a snapshot.
 */
export class GrpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

function unreachable(err: NodeJS.ErrnoException): RuntimeUnreachable {
  const reason = err.code === 'ENOENT' || err.code === 'ECONNREFUSED' ? 'no-socket' : err.code === 'EACCES' || err.code === 'EPERM' ? 'permission' : 'error';
  return new RuntimeUnreachable(reason, err.message);
}

export interface GrpcSession {
  call: (path: string, request: Uint8Array) => Promise<Uint8Array>;
  close: () => void;
}

export function grpcSession(socketPath: string, timeoutMs: number, signal?: AbortSignal): GrpcSession {
  let failure: RuntimeUnreachable | null = null;
  const session: ClientHttp2Session = http2Connect('http://localhost', { createConnection: () => netConnect(socketPath) });
  session.on('error', (e: NodeJS.ErrnoException) => {
    failure = unreachable(e);
  });
  const call = (path: string, request: Uint8Array): Promise<Uint8Array> =>
    new Promise((resolve, reject) => {
      if (failure !== null) return reject(failure);
      const frame = Buffer.alloc(5 + request.length);
      frame.writeUInt32BE(request.length, 1);
      frame.set(request, 5);
      const req = session.request({ ':method': 'POST', ':path': path, 'content-type': 'application/grpc', te: 'trailers' }, { signal });
      const chunks: Buffer[] = [];
      let status: string | undefined;
      let message = '';
      const timer = setTimeout(() => {
        req.close();
        reject(new RuntimeUnreachable('timeout', `${path}: no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      const meta = (h: Record<string, unknown>): void => {
        if (typeof h['grpc-status'] === 'string') status = h['grpc-status'];
        if (typeof h['grpc-message'] === 'string') message = decodeURIComponent(h['grpc-message']);
      };
      req.on('response', (h) => meta(h));
      req.on('trailers', (h) => meta(h));
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('error', (e: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        reject(failure ?? unreachable(e));
      });
      req.on('end', () => {
        clearTimeout(timer);
        if (status !== '0') return reject(new GrpcError(Number(status ?? 2), `${path}: gRPC status ${status ?? '?'} ${message}`.trim()));
        const body = Buffer.concat(chunks);
        if (body.length < 5 || body[0] !== 0) return reject(new RuntimeUnreachable('bad-answer', `${path}: not one uncompressed gRPC message`));
        resolve(new Uint8Array(body.subarray(5, 5 + body.readUInt32BE(1))));
      });
      req.end(frame);
    });
  return { call, close: () => session.close() };
}
