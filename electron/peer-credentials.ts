import { spawn as nodeSpawn } from 'node:child_process';
import type { Socket } from 'node:net';

/**
 * Who is at the other end of the helper socket (issue 13 item 9): SO_PEERCRED, the kernel's own
 * record of the connecting process. Node has no getsockopt, so netloom-nsread --peercred asks it
 * on the socket handed to it as fd 3 (helper/native/fdops.c). The token proves the peer could
 * read a file only the person (and root) can; the uid proves it is the root helper pkexec
 * started and not another program of the person's that read the token first.
 */
export interface PeerCred {
  pid: number;
  uid: number;
  gid: number;
}

export type SpawnFn = typeof nodeSpawn;

export function readPeerCred(sock: Socket, reader: string, spawn: SpawnFn = nodeSpawn): Promise<PeerCred | null> {
  return new Promise((resolve) => {
    let out = '';
    let child;
    try {
      child = spawn(reader, ['--peercred'], { stdio: ['ignore', 'pipe', 'ignore', sock] });
    } catch {
      return resolve(null);
    }
    child.stdout?.on('data', (d: Buffer) => (out += d.toString('utf8')));
    child.once('error', () => resolve(null));
    child.once('close', (code) => {
      const m = /^(\d+) (\d+) (\d+)$/.exec(out.trim());
      resolve(code === 0 && m ? { pid: Number(m[1]), uid: Number(m[2]), gid: Number(m[3]) } : null);
    });
  });
}

/**
 * The check the helper socket runs on a peer that sent the right token: null to accept, or why
 * not. Where the credentials cannot be read (no netloom-nsread: a build without a C compiler),
 * a packaged app refuses; a source checkout says so and goes on.
 */
export function requirePeerUid(
  expected: number,
  reader: string | null,
  opts: { required: boolean; log: (line: string) => void; spawn?: SpawnFn },
): (sock: Socket) => Promise<string | null> {
  return async (sock) => {
    const cred = reader === null ? null : await readPeerCred(sock, reader, opts.spawn);
    if (cred === null) {
      if (opts.required) return "the peer's credentials could not be read (SO_PEERCRED through netloom-nsread)";
      opts.log("helper socket: could not read the peer's credentials (netloom-nsread not built); accepting on the token alone");
      return null;
    }
    return cred.uid === expected ? null : `the peer runs as uid ${cred.uid} (pid ${cred.pid}), not as uid ${expected}`;
  };
}
