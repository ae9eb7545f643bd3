import { ProtocolError } from '../../protocol/src/errors.js';

/**
 * What went wrong reaching a remote host, from ssh's and sudo's own words on stderr and the
 * exit status (issue 14): each case a sentence that says what to do. netloom never answers a
 * host-key question or keeps a password for the user: those are the user's ssh's to settle.
 */
export type HostProblem = 'host-key' | 'auth' | 'unreachable' | 'dropped' | 'no-sudo' | 'sudo-password' | 'sudo-wrong-password' | 'sudo-denied' | 'sudo-tty' | 'bundle' | 'failed';

export class HostError extends ProtocolError {
  constructor(
    readonly problem: HostProblem,
    code: ConstructorParameters<typeof ProtocolError>[0],
    message: string,
    readonly stderr: string,
  ) {
    super(code, message, { details: { problem, host: true } });
  }
}

const tail = (s: string): string => s.trim().split('\n').slice(-3).join(' / ').slice(0, 400);

/** Classifies a failed ssh (before or during the session). `during`: the link was up and then went. */
export function hostError(host: string, stderr: string, exitCode: number | null, during = false): HostError {
  const e = stderr;
  const say = (problem: HostProblem, code: ConstructorParameters<typeof ProtocolError>[0], msg: string): HostError => new HostError(problem, code, msg, stderr);
  if (/REMOTE HOST IDENTIFICATION HAS CHANGED/.test(e)) {
    return say('host-key', 'denied', `the host key of ${host} has CHANGED since you last connected: it may be a different machine. Check it, fix ~/.ssh/known_hosts with \`ssh-keygen -R\`, then connect once with \`ssh ${host}\`. netloom never accepts a host key for you.`);
  }
  if (/Host key verification failed|No \S+ host key is known|host key for .* not in list/i.test(e)) {
    return say('host-key', 'denied', `ssh does not know the host key of ${host}: connect once with \`ssh ${host}\` to check and accept it, then add the host again. netloom never accepts a host key for you.`);
  }
  if (/Permission denied \(|Too many authentication failures|no matching (host key type|key exchange)/i.test(e)) {
    return say('auth', 'denied', `ssh could not log in to ${host} (${tail(e)}): load your key into the agent (\`ssh-add\`) or set IdentityFile in ~/.ssh/config. netloom uses your ssh as it is and never asks for or keeps an ssh password.`);
  }
  if (/Could not resolve hostname|Name or service not known|Temporary failure in name resolution/i.test(e)) {
    return say('unreachable', 'unavailable', `${host} is not a name ssh can resolve (${tail(e)})`);
  }
  if (/Connection refused|Connection timed out|timed out during banner|No route to host|Network is unreachable|Operation timed out/i.test(e) && !during) {
    return say('unreachable', 'unavailable', `cannot reach ${host} over ssh (${tail(e)}): is sshd running there and the address right?`);
  }
  if (/a password is required/.test(e)) {
    return say('sudo-password', 'denied', `sudo on ${host} needs your password: enter it when netloom asks (it is handed to sudo and never kept)`);
  }
  if (/incorrect password attempt|Sorry, try again|a terminal is required to read the password/.test(e)) {
    return say('sudo-wrong-password', 'denied', `sudo on ${host} did not take the password`);
  }
  if (/is not in the sudoers file|is not allowed to (run|execute)|may not run sudo/.test(e)) {
    return say('sudo-denied', 'denied', `your user may not use sudo on ${host} (${tail(e)}): netloom's helper needs root there — log in as a user with sudo rights`);
  }
  if (/you must have a tty to run sudo/.test(e)) {
    return say('sudo-tty', 'denied', `sudo on ${host} insists on a terminal (Defaults requiretty): allow netloom's user to run sudo without one`);
  }
  if (/does not match its SHA-256/.test(e)) return say('bundle', 'failed', `the helper copied to ${host} did not match its checksum, so nothing ran there (${tail(e)})`);
  if (during || exitCode === 255 || /Connection (closed|reset)|Broken pipe|not responding|client_loop/i.test(e)) {
    return say('dropped', 'terminated', `the ssh link to ${host} dropped${e.trim() ? ` (${tail(e)})` : ''}`);
  }
  return say('failed', 'failed', `running netloom on ${host} failed (exit ${exitCode ?? 'by signal'}${e.trim() ? `: ${tail(e)}` : ''})`);
}
