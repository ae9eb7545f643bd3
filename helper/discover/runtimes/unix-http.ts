import { request } from 'node:http';

/** Why a runtime's API could not answer: each becomes a different sentence for the user. */
export type UnreachableReason = 'no-socket' | 'permission' | 'timeout' | 'http' | 'bad-answer' | 'error';

export class RuntimeUnreachable extends Error {
  constructor(
    readonly reason: UnreachableReason,
    message: string,
  ) {
    super(message);
  }
}

function reasonOf(err: NodeJS.ErrnoException): UnreachableReason {
  if (err.code === 'ENOENT' || err.code === 'ECONNREFUSED') return 'no-socket';
  if (err.code === 'EACCES' || err.code === 'EPERM') return 'permission';
  return 'error';
}

/**
 * GET a JSON document from an HTTP API on a Unix socket (Docker's, Podman's). One request,
 * a hard timeout: a hung daemon must never hold up a snapshot.
 */
export function getJson(socketPath: string, path: string, timeoutMs: number, signal?: AbortSignal): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, path, method: 'GET', headers: { Host: 'localhost' }, timeout: timeoutMs, signal }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', (e) => reject(new RuntimeUnreachable('error', e.message)));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        if ((res.statusCode ?? 0) >= 400) {
          reject(new RuntimeUnreachable('http', `${path}: HTTP ${res.statusCode ?? '?'} ${body.trim().slice(0, 200)}`));
          return;
        }
        try {
          resolve(JSON.parse(body) as unknown);
        } catch {
          reject(new RuntimeUnreachable('bad-answer', `${path}: the answer is not JSON`));
        }
      });
    });
    req.on('timeout', () => req.destroy(new RuntimeUnreachable('timeout', `${path}: no answer within ${timeoutMs} ms`)));
    req.on('error', (e: NodeJS.ErrnoException) => reject(e instanceof RuntimeUnreachable ? e : new RuntimeUnreachable(reasonOf(e), e.message)));
    req.end();
  });
}

/**
 * A long-lived GET whose body is a stream of JSON documents, one per line (Docker's /events).
 * Resolves when the stream ends or `signal` aborts; rejects if it cannot start. `onOpen` runs once
 * the daemon accepted the request (a follower reconnecting learns it is back).
 */
export function streamJsonLines(socketPath: string, path: string, onDoc: (doc: unknown) => void, signal: AbortSignal, onOpen?: () => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, path, method: 'GET', headers: { Host: 'localhost' }, signal }, (res) => {
      if ((res.statusCode ?? 0) >= 400) {
        res.resume();
        reject(new RuntimeUnreachable('http', `${path}: HTTP ${res.statusCode ?? '?'}`));
        return;
      }
      onOpen?.();
      let pending = '';
      res.setEncoding('utf8');
      res.on('data', (text: string) => {
        pending += text;
        let nl: number;
        while ((nl = pending.indexOf('\n')) >= 0) {
          const line = pending.slice(0, nl).trim();
          pending = pending.slice(nl + 1);
          if (line === '') continue;
          try {
            onDoc(JSON.parse(line) as unknown);
          } catch {
            // one garbled line does not end the stream
          }
        }
      });
      res.on('end', () => resolve());
      res.on('error', () => resolve());
    });
    req.on('error', (e: NodeJS.ErrnoException) => {
      if (signal.aborted) resolve();
      else reject(new RuntimeUnreachable(reasonOf(e), e.message));
    });
    req.end();
  });
}
