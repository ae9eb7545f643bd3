import { readFile } from 'node:fs/promises';
import type { HostTarget } from '../../protocol/src/hosts.js';
import { openSession, targetLabel, type BootstrapOptions, type Session } from './ssh-bootstrap.js';
import { HostError, hostError } from './ssh-errors.js';

/**
 * `netloom --host user@host COMMAND …` (issue 14): the command runs on that host, as root, from
 * the helper bundle copied there for this one command (ssh-bootstrap.ts), and prints what it
 * would print there. Files named on the command line are read here and sent on stdin, so
 * `netloom --host h apply plan.json` applies this machine's plan.json on h. Plans applied there
 * are journaled there, so `netloom --host h undo` undoes them there.
 */
const REMOTE_COMMANDS = new Set(['snapshot', 'explain', 'plan', 'apply', 'undo', 'health', 'export-script']);

/** Exit status when the host could not be reached or used (ssh's own). */
export const HOST_FAILED = 255;

export interface RemoteCommandIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  readStdin: () => Promise<string>;
}

/** The command's arguments as the remote host must see them, and what goes to its stdin. */
export async function remoteArgs(args: readonly string[], io: Pick<RemoteCommandIo, 'readStdin'>): Promise<{ args: string[]; input: string | null }> {
  const [name, ...rest] = args;
  if (name === undefined || !REMOTE_COMMANDS.has(name)) {
    throw new Error(`"${name ?? ''}" cannot run on another host (only ${[...REMOTE_COMMANDS].join(', ')})`);
  }
  const fileAt = (i: number): number => (i >= 0 && i < rest.length ? i : -1);
  // plan/apply FILE|-, export-script --from FILE|-: the one argument that names input.
  const at = name === 'plan' || name === 'apply' ? fileAt(rest.findIndex((a) => a !== '--json')) : name === 'export-script' ? fileAt(rest.indexOf('--from') + 1 || -1) : -1;
  if (at < 0) return { args: [name, ...rest], input: null };
  const src = rest[at] as string;
  const input = src === '-' ? await io.readStdin() : await readFile(src, 'utf8').catch((e: Error) => {
    throw new Error(`cannot read ${src}: ${e.message}`);
  });
  const out = [...rest];
  out[at] = '-';
  return { args: [name, ...out], input };
}

/** Runs one CLI command on the host; resolves with its exit status (HOST_FAILED when the host could not run it). */
export async function runRemoteCommand(target: HostTarget, args: readonly string[], io: RemoteCommandIo, opts: BootstrapOptions = {}): Promise<number> {
  const label = targetLabel(target);
  const fail = (e: unknown): number => {
    io.stderr.write(`netloom: ${e instanceof Error ? e.message : String(e)}\n`);
    return HOST_FAILED;
  };
  let remote: { args: string[]; input: string | null };
  try {
    remote = await remoteArgs(args, io);
  } catch (e) {
    io.stderr.write(`netloom: ${(e as Error).message}\n`);
    return 2;
  }
  let session: Session;
  try {
    session = await openSession(target, remote.args, opts);
  } catch (e) {
    return fail(e);
  }
  session.child.stdin.end(remote.input ?? '');
  session.output.on('data', (b: Buffer) => io.stdout.write(b));
  const code = await new Promise<number | null>((resolve) => session.child.on('close', (c: number | null) => resolve(c)));
  const stderr = session.stderr();
  // 255 is ssh's own failure (the remote command's statuses are netloom's: 0, 1, 2, …).
  if (code === 255 || code === null) return fail(hostError(label, stderr, code, true));
  if (stderr) io.stderr.write(stderr);
  return code;
}

export { HostError };
