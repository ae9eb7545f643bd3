import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { destinationProblem, type HostTarget } from '../../protocol/src/hosts.js';
import { systemExec, type Exec } from '../exec.js';
import { resolveProgram, TRUSTED_PATH } from '../program-paths.js';

/**
 * netloom's use of `ssh` (issue 14). It runs in the user's process — the CLI's `--host`, browser
 * mode's remote hosts — with the user's config, keys, agent and known_hosts, through the helper's
 * one door to programs (exec.ts: the trusted path, an argv array, an argv shape checked in
 * exec-argv.ts). The destination was checked (protocol/hosts.ts) and follows `--`, so it can
 * never be read as an option.
 */
export interface SshOptions {
  /** An ssh config file to use instead of ~/.ssh/config (`-F`; the tests' keys and known_hosts). Absolute. */
  configFile?: string;
  /** Seconds between keep-alives; three unanswered ones count as a dropped link. */
  aliveIntervalS?: number;
  connectTimeoutS?: number;
  /** Where ssh is started from (tests hand a recording fake). */
  exec?: Exec;
  /** Share one master connection per host (ssh-master.ts); default on unless NETLOOM_SSH_MASTER=no. */
  multiplex?: boolean;
}

/** `mux`: the master connection's -o options (ssh-master.ts multiplexOptions). */
export function sshArgv(target: HostTarget, remoteCommand: string, opts: SshOptions = {}, mux: readonly string[] = []): [ 'ssh', ...string[] ] {
  const why = destinationProblem(target.destination);
  if (why !== null) throw new Error(why);
  if (opts.configFile !== undefined && !opts.configFile.startsWith('/')) throw new Error(`the ssh config file must be an absolute path: ${opts.configFile}`);
  return [
    'ssh',
    '-T',
    // No prompt can be answered on a pipe: a password or host-key question becomes an error that says so.
    '-o', 'BatchMode=yes',
    '-o', `ConnectTimeout=${opts.connectTimeoutS ?? 10}`,
    '-o', `ServerAliveInterval=${opts.aliveIntervalS ?? 5}`,
    '-o', 'ServerAliveCountMax=3',
    ...mux,
    ...(opts.configFile !== undefined ? ['-F', opts.configFile] : []),
    ...(target.port !== undefined ? ['-p', String(target.port)] : []),
    '--',
    target.destination,
    remoteCommand,
  ];
}

export function spawnSsh(target: HostTarget, remoteCommand: string, opts: SshOptions = {}, mux: readonly string[] = []): ChildProcessWithoutNullStreams {
  if (opts.exec === undefined && resolveProgram('ssh') === null) throw new Error(`ssh is not installed (openssh-client) in ${TRUSTED_PATH}: netloom reaches other hosts with your own ssh`);
  // The user's environment (SSH_AUTH_SOCK included) passes through exec.ts: the user's agent.
  const child = (opts.exec ?? systemExec).spawn(sshArgv(target, remoteCommand, opts, mux), { stdin: true });
  if (child.stdin === null || child.stdout === null || child.stderr === null) throw new Error('ssh was started without pipes');
  return child as ChildProcessWithoutNullStreams;
}
