import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmod, mkdtemp, open, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { StringDecoder } from 'node:string_decoder';
import { join } from 'node:path';
import { z } from 'zod';
import type { HelperConnection } from './helper-connection.js';

/** The helper's first line on the socket: nothing else, nothing more. */
const AuthLine = z.object({ auth: z.object({ token: z.string().max(256) }).strict() }).strict();

/** An auth line is ~80 bytes; anything this long is not our helper. */
const MAX_AUTH_BYTES = 1024;

export interface HelperSocketOptions {
  /** Default $XDG_RUNTIME_DIR (per-user, 0700 by systemd), else the temp dir. */
  runtimeDir?: string;
  /** How long a peer has, after connecting, to send its token. */
  authTimeoutMs?: number;
  /** After the right token: null to accept the peer, or why not (peer-credentials.ts: its uid by SO_PEERCRED). */
  checkPeer?: (sock: Socket) => Promise<string | null>;
  log: (line: string) => void;
}

export interface HelperSocketServer {
  readonly dir: string;
  readonly socketPath: string;
  readonly tokenFile: string;
  /** The one authenticated peer; rejects if the server was closed before it came. */
  readonly connection: Promise<HelperConnection>;
  /** Stops waiting: closes the server, removes the directory. Safe to call more than once. */
  close(reason?: string): Promise<void>;
}

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

/**
 * Whether `given` is the token. Both sides are hashed first so the compared buffers always
 * have equal length and timingSafeEqual leaks neither content nor length.
 */
export function tokenMatches(expected: string, given: string): boolean {
  return timingSafeEqual(digest(expected), digest(given));
}

/**
 * Main's end of the privileged path (DESIGN §8): a Unix socket in a fresh 0700 directory
 * and a one-time token in a 0600 file beside it. The root helper (started through pkexec)
 * reads the token, connects and sends `{"auth":{"token":"…"}}` as its first line.
 *
 * Exactly one peer is accepted. A peer with a wrong, malformed or late token is cut off
 * and logged, and the server keeps waiting for the right one (so a stray local process
 * connecting first cannot lock the real helper out; the token is 256 random bits, so
 * guessing is hopeless). After the good peer the token file is deleted and every later
 * connection is refused and logged; server and directory go when the connection ends.
 */
export async function createHelperSocketServer(opts: HelperSocketOptions): Promise<HelperSocketServer> {
  const authTimeoutMs = opts.authTimeoutMs ?? 5000;
  const base = opts.runtimeDir ?? process.env['XDG_RUNTIME_DIR'] ?? tmpdir();
  const dir = await mkdtemp(join(base, 'netloom-'));
  // mkdtemp already makes it 0700; chmod anyway so a strange umask cannot widen it.
  await chmod(dir, 0o700);
  const socketPath = join(dir, 'helper.sock');
  const tokenFile = join(dir, 'token');
  const token = randomBytes(32).toString('hex');
  // 'wx': never follow or reuse something already there.
  const fh = await open(tokenFile, 'wx', 0o600);
  try {
    await fh.writeFile(token + '\n');
  } finally {
    await fh.close();
  }

  let accepted = false;
  let closed = false;
  let resolveConn!: (c: HelperConnection) => void;
  let rejectConn!: (e: Error) => void;
  const connection = new Promise<HelperConnection>((res, rej) => {
    resolveConn = res;
    rejectConn = rej;
  });
  connection.catch(() => {});
  const pending = new Set<Socket>();

  const removeDir = (): Promise<void> => rm(dir, { recursive: true, force: true }).catch(() => {});
  const refuse = (sock: Socket, why: string): void => {
    opts.log(`refused a helper connection: ${why}`);
    pending.delete(sock);
    sock.destroy();
  };

  const server: Server = createServer((sock) => {
    if (accepted || closed) return refuse(sock, 'the helper is already connected');
    pending.add(sock);
    let buf = Buffer.alloc(0);
    const timer = setTimeout(() => refuse(sock, `no token within ${authTimeoutMs} ms`), authTimeoutMs);
    sock.on('error', () => {});
    sock.on('close', () => {
      clearTimeout(timer);
      pending.delete(sock);
    });
    const onData = (chunk: Buffer): void => {
      buf = Buffer.concat([buf, chunk]);
      const nl = buf.indexOf(0x0a);
      if (nl < 0) {
        if (buf.length > MAX_AUTH_BYTES) {
          clearTimeout(timer);
          refuse(sock, 'the first line is too long to be a token');
        }
        return;
      }
      clearTimeout(timer);
      sock.off('data', onData);
      // Hold what comes next (the helper's init) until the peer is accepted.
      sock.pause();
      const why = checkAuth(buf.subarray(0, nl).toString('utf8'), token);
      if (why !== null) return refuse(sock, why);
      void (opts.checkPeer?.(sock) ?? Promise.resolve(null)).then((peer) => (peer === null ? accept(sock, buf.subarray(nl + 1)) : refuse(sock, peer)));
    };
    sock.on('data', onData);
  });

  /** The peer with the right token (and uid): the one connection; `rest` came in with its auth line. */
  const accept = (sock: Socket, rest: Buffer): void => {
    if (accepted || closed) return refuse(sock, 'the helper is already connected');
    accepted = true;
    pending.delete(sock);
    // One peer only: forget the token and refuse whoever else is mid-auth. The server
    // keeps listening only so that later peers are refused *and logged* (a closed
    // server would leave them a silent ECONNREFUSED); it closes with the connection.
    void rm(tokenFile, { force: true }).catch(() => {});
    for (const other of pending) refuse(other, 'the helper is already connected');
    const conn = socketConnection(sock, rest);
    conn.onClose(() => {
      closed = true;
      server.close();
      void removeDir();
    });
    sock.resume();
    resolveConn(conn);
  };
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (e) => opts.log(`helper socket: ${e.message}`));

  return {
    dir,
    socketPath,
    tokenFile,
    connection,
    async close(reason = 'stopped waiting for the helper') {
      if (closed) return;
      closed = true;
      for (const s of pending) s.destroy();
      if (!accepted) {
        server.close();
        rejectConn(new Error(reason));
        await removeDir();
      }
    },
  };
}

/** Why an auth line is refused, or null when it carries the token. */
function checkAuth(line: string, token: string): string | null {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return 'the first line is not JSON';
  }
  const parsed = AuthLine.safeParse(raw);
  if (!parsed.success) return 'the first line is not {"auth":{"token":…}}';
  return tokenMatches(token, parsed.data.auth.token) ? null : 'wrong token';
}

/**
 * An authenticated socket as a HelperConnection. `rest` is what came after the auth line
 * in the same chunk (the start of the helper's init). The root helper cannot be signalled
 * by main (another user), so close() ends the socket — the helper exits when it closes
 * (DESIGN §8) — and destroys it if the helper does not hang up in time.
 */
export function socketConnection(sock: Socket, rest: Buffer, graceMs = 2000): HelperConnection {
  const textListeners: ((t: string) => void)[] = [];
  const closeListeners: ((r: string) => void)[] = [];
  // One decoder for the whole stream: a UTF-8 character may straddle the auth line's chunk.
  const utf8 = new StringDecoder('utf8');
  let early = utf8.write(rest);
  let closedReason: string | null = null;
  let error = '';
  const gone = new Promise<void>((resolve) => {
    sock.once('close', () => {
      closedReason = error === '' ? 'the helper closed its connection' : `the helper's connection failed: ${error}`;
      for (const cb of closeListeners) cb(closedReason);
      resolve();
    });
  });
  sock.on('error', (e) => {
    error = e.message;
  });
  sock.on('data', (chunk: Buffer) => {
    const text = utf8.write(chunk);
    if (text !== '') for (const cb of textListeners) cb(text);
  });
  return {
    send(text) {
      if (closedReason === null && sock.writable) sock.write(text);
    },
    onText(cb) {
      textListeners.push(cb);
      // The text that rode in with the auth line goes to the first listener.
      if (early !== '') {
        const t = early;
        early = '';
        cb(t);
      }
    },
    onClose(cb) {
      if (closedReason !== null) cb(closedReason);
      else closeListeners.push(cb);
    },
    async close() {
      if (closedReason !== null) return;
      sock.end();
      const t = setTimeout(() => sock.destroy(), graceMs);
      await gone;
      clearTimeout(t);
    },
  };
}
