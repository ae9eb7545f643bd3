import { closeSync, constants, fstatSync, openSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import type { Socket } from 'node:net';

/** The uid that pkexec ran us for (it sets PKEXEC_UID), if any. */
function pkexecUid(): number | undefined {
  const raw = process.env['PKEXEC_UID'];
  return raw !== undefined && /^\d+$/.test(raw) ? Number(raw) : undefined;
}

/**
 * The one-time token main left for us (DESIGN §8). Opened without following a symlink,
 * and refused unless it is a regular file no one but its owner can read or write: a token
 * others could read proves nothing.
 */
export function readTokenFile(file: string, askedBy: number | undefined = pkexecUid()): string {
  const fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new Error(`the token file ${file} is not a regular file`);
    // Started through pkexec: the token must belong to the person who asked (or root).
    if (askedBy !== undefined && st.uid !== askedBy && st.uid !== 0) {
      throw new Error(`the token file ${file} belongs to uid ${st.uid}, not to uid ${askedBy} who started the helper; refusing it`);
    }
    if ((st.mode & 0o077) !== 0) {
      throw new Error(`the token file ${file} is readable or writable by others (mode ${(st.mode & 0o777).toString(8)}); refusing it`);
    }
    const token = readFileSync(fd, 'utf8').trim();
    if (!/^[0-9a-f]{16,256}$/.test(token)) throw new Error(`the token file ${file} does not hold a token`);
    return token;
  } finally {
    closeSync(fd);
  }
}

/** Connects to main's socket and proves itself with the token; the helper's init follows. */
export function connectWithToken(socketPath: string, token: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const sock = connect(socketPath);
    sock.once('error', reject);
    sock.once('connect', () => {
      sock.off('error', reject);
      sock.write(JSON.stringify({ auth: { token } }) + '\n');
      resolve(sock);
    });
  });
}
