import { connect as http2Connect } from 'node:http2';
import { connect as netConnect } from 'node:net';
import { GrpcError } from './grpc-unix.js';
import { RuntimeUnreachable } from './unix-http.js';

/**
 * A server-streaming gRPC call over HTTP/2 on a Unix socket (containerd's event service): each
 * 5-byte-framed message handed over as it arrives. Resolves when the stream ends or `signal`
 * aborts; rejects when it cannot be opened or the server refuses it (a CRI-O socket has no
 * containerd events), so the follower's backoff retries quietly.
 */
export function grpcServerStream(socketPath: string, path: string, request: Uint8Array, onMessage: (m: Uint8Array) => void, signal: AbortSignal, onOpen?: () => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const session = http2Connect('http://localhost', { createConnection: () => netConnect(socketPath) });
    const done = (err?: Error): void => {
      session.close();
      if (err === undefined || signal.aborted) resolve();
      else reject(err);
    };
    session.on('error', (e: NodeJS.ErrnoException) => done(new RuntimeUnreachable(e.code === 'EACCES' ? 'permission' : 'no-socket', e.message)));
    const frame = Buffer.alloc(5 + request.length);
    frame.writeUInt32BE(request.length, 1);
    frame.set(request, 5);
    const req = session.request({ ':method': 'POST', ':path': path, 'content-type': 'application/grpc', te: 'trailers' }, { signal });
    let pending = Buffer.alloc(0);
    let status: string | undefined;
    req.on('response', (h) => {
      if (typeof h['grpc-status'] === 'string') status = h['grpc-status'];
      if (status === undefined || status === '0') onOpen?.();
    });
    req.on('trailers', (h) => {
      if (typeof h['grpc-status'] === 'string') status = h['grpc-status'];
    });
    req.on('data', (c: Buffer) => {
      pending = Buffer.concat([pending, c]);
      while (pending.length >= 5 && pending.length >= 5 + pending.readUInt32BE(1)) {
        const len = pending.readUInt32BE(1);
        onMessage(new Uint8Array(pending.subarray(5, 5 + len)));
        pending = pending.subarray(5 + len);
      }
    });
    req.on('error', (e: Error) => done(signal.aborted ? undefined : new RuntimeUnreachable('error', e.message)));
    req.on('end', () => done(status !== undefined && status !== '0' ? new GrpcError(Number(status), `${path}: gRPC status ${status}`) : undefined));
    req.end(frame);
  });
}
