import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HostTarget } from '../../protocol/src/hosts.js';
import { systemExec } from '../exec.js';
import type { SshOptions } from './ssh-exec.js';

/**
 * One ssh connection per host, shared (issue 14): the handshake (key exchange, the user's key or
 * agent, the host key checked against known_hosts) is paid once; the session, a reconnect, a
 * capture stream or a CLI command run soon after all ride on it as OpenSSH multiplexing sessions.
 *
 * - The user's own ControlPath, when their config sets one, is left alone: their master is reused
 *   and their ControlMaster/ControlPersist decide (`ssh -G` says what their config resolves to).
 * - Otherwise netloom's own: ControlMaster=auto, the socket in a directory only this user can open
 *   (0700, checked: ours, not a symlink — whoever can open the socket can run commands as the
 *   user on that host), ControlPersist short. Nothing of the user's ssh security changes: the
 *   master authenticates with their config, keys, agent and known_hosts like any ssh.
 * - NETLOOM_SSH_MASTER=no turns it off (one handshake per session, as before).
 */

/** Seconds the master stays after its last session: a CLI command soon after reuses it. */
export const PERSIST_S = 30;

export const MASTER_DIR_NAME = 'netloom-ssh';

/** The private directory of netloom's control sockets, made if missing; null when it is not safe to use. */
export function masterDir(env: NodeJS.ProcessEnv = process.env): string | null {
  const uid = process.getuid?.() ?? -1;
  const runtime = env.XDG_RUNTIME_DIR;
  const dir = runtime !== undefined && runtime.startsWith('/') ? join(runtime, MASTER_DIR_NAME) : join(tmpdir(), `${MASTER_DIR_NAME}-${uid}`);
  if (!/^\/[A-Za-z0-9._/-]+$/.test(dir)) return null;
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') return null;
  }
  try {
    const st = lstatSync(dir);
    if (!st.isDirectory() || st.isSymbolicLink() || st.uid !== uid || (st.mode & 0o077) !== 0) return null;
  } catch {
    return null;
  }
  return dir;
}

/**
 * The control socket's path: ssh's %C (a hash of this host, the remote host, port and user) after
 * a short hash of the config file, so two configs (a test lab's, the user's) never share a master.
 */
export function controlPath(dir: string, configFile: string | undefined): string {
  const tag = createHash('sha256').update(configFile ?? '~/.ssh/config').digest('hex').slice(0, 8);
  return `${dir}/${tag}-%C`;
}

/** `ssh -G` output → whether the user's config already names a control socket. */
export function userHasControlPath(sshG: string): boolean {
  return /^controlpath (?!none$)\S/m.test(sshG);
}

const resolved = new Map<string, Promise<string[]>>();

/** The -o options that put this host's sessions on one master connection ([] when the user's own does, or when off). */
export function multiplexOptions(target: HostTarget, opts: SshOptions = {}): Promise<string[]> {
  if (opts.multiplex === false || /^(no|off|0|false)$/i.test(process.env.NETLOOM_SSH_MASTER ?? '')) return Promise.resolve([]);
  const key = JSON.stringify([opts.configFile ?? null, target.destination, target.port ?? null]);
  let p = resolved.get(key);
  if (p === undefined) {
    p = ask(target, opts);
    resolved.set(key, p);
  }
  return p;
}

async function ask(target: HostTarget, opts: SshOptions): Promise<string[]> {
  const argv: ['ssh', ...string[]] = ['ssh', '-G', ...(opts.configFile !== undefined ? ['-F', opts.configFile] : []), ...(target.port !== undefined ? ['-p', String(target.port)] : []), '--', target.destination];
  const r = await (opts.exec ?? systemExec).run(argv, { allowFailure: true, timeoutMs: 5000 }).catch(() => null);
  // ssh could not even read the config: no master of ours; the session's own ssh will say why.
  if (r === null || r.exitCode !== 0) return [];
  if (userHasControlPath(r.stdout)) return [];
  const dir = masterDir();
  if (dir === null) return [];
  return ['-o', 'ControlMaster=auto', '-o', `ControlPath=${controlPath(dir, opts.configFile)}`, '-o', `ControlPersist=${PERSIST_S}`];
}
