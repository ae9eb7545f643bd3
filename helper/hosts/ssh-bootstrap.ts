import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import type { HostTarget } from '../../protocol/src/hosts.js';
import { bundleFor, type Bundle } from './bundle.js';
import { emptyFacts, parseStageLine, runCommand, stageCommand, SUDO_PROMPT, type StageFacts, type SudoMode } from './remote-script.js';
import { HostError, hostError } from './ssh-errors.js';
import { spawnSsh, type SshOptions } from './ssh-exec.js';
import { tarArchive } from './tar-writer.js';

/** What the stage step left on the remote host, ready to run. */
export interface Staged {
  dir: string;
  facts: StageFacts;
  bundle: Bundle;
  sudo: SudoMode;
  ms: number;
}

export interface BootstrapOptions extends SshOptions {
  /** Send this machine's Node.js even when the remote has a usable one (tests of the self-contained path). */
  forceOwnNode?: boolean;
}

const label = (t: HostTarget): string => (t.port !== undefined ? `${t.destination}:${t.port}` : t.destination);

/** Step 1: a private directory on the remote host, its facts, and the bundle in it (one ssh connection). */
export async function stage(target: HostTarget, opts: BootstrapOptions = {}): Promise<Staged> {
  const t0 = performance.now();
  const child = spawnSsh(target, stageCommand(), opts);
  const facts = emptyFacts();
  let stderr = '';
  let out = '';
  let bundle: Bundle | null = null;
  let refusal: Error | null = null;
  child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t));
  child.stdin.on('error', () => {}); // the remote may end first; its exit status says why
  child.stdout.setEncoding('utf8').on('data', (t: string) => {
    out += t;
    let nl: number;
    while ((nl = out.indexOf('\n')) >= 0) {
      const line = out.slice(0, nl);
      out = out.slice(nl + 1);
      parseStageLine(facts, line);
      if (line.trim() !== 'netloom-ready') continue;
      try {
        if (facts.sudo === 'none') throw new HostError('no-sudo', 'unavailable', `${label(target)}: you are not root there and sudo is not installed; netloom's helper needs root`, stderr);
        if (facts.missing.length > 0) throw new HostError('failed', 'unavailable', `${label(target)} has no ${facts.missing.join(', ')}, which netloom needs to check the helper it copies`, stderr);
        bundle = bundleFor({ machine: facts.machine ?? '', node: facts.node }, { forceOwnNode: opts.forceOwnNode });
        child.stdin.end(tarArchive(bundle.files));
      } catch (e) {
        refusal = e instanceof Error ? e : new Error(String(e));
        child.stdin.end(); // tar gets nothing; the stage script removes its directory
      }
    }
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
  if (refusal !== null) throw refusal;
  if (code !== 0 || !facts.staged || facts.dir === null || bundle === null || facts.sudo === null || facts.sudo === 'none') {
    throw hostError(label(target), stderr, code);
  }
  return { dir: facts.dir, facts, bundle, sudo: facts.sudo, ms: performance.now() - t0 };
}

export interface Running {
  child: ChildProcessWithoutNullStreams;
  /** Resolves once sudo took the password (at once without one); rejects with the reason it did not. */
  elevated: Promise<void>;
  stderr(): string;
}

/**
 * Step 2: the helper (or a CLI command) as root from the staged directory. With `password`, sudo
 * reads it from the first line of stdin when it prompts (`sudo -S`); nothing else is written
 * before that, and the password is not kept once written.
 */
export function run(target: HostTarget, staged: Staged, args: readonly string[], opts: SshOptions & { password?: string } = {}): Running {
  const sudo = staged.sudo;
  if (sudo === 'password' && opts.password === undefined) throw hostError(label(target), 'sudo: a password is required', 1);
  const child = spawnSsh(target, runCommand(staged.dir, staged.bundle, sudo, args), opts);
  let stderr = '';
  let password = opts.password;
  let prompts = 0;
  let settle!: { resolve: () => void; reject: (e: Error) => void };
  const elevated = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
  elevated.catch(() => {});
  child.stdin.on('error', () => {});
  child.stderr.setEncoding('utf8').on('data', (t: string) => {
    stderr += t;
    if (sudo !== 'password') return;
    while (stderr.includes(SUDO_PROMPT)) {
      stderr = stderr.replace(SUDO_PROMPT, '');
      prompts++;
      if (prompts === 1 && password !== undefined) {
        child.stdin.write(password + '\n');
        password = undefined;
        // sudo says nothing when it accepts: the first line from the helper (or the command) tells.
        child.stdout.once('data', () => settle.resolve());
      } else {
        settle.reject(hostError(label(target), 'sudo: incorrect password attempt', 1));
        child.kill('SIGTERM');
      }
    }
  });
  if (sudo !== 'password') settle.resolve();
  child.on('close', (code) => settle.reject(hostError(label(target), stderr, code)));
  return { child, elevated, stderr: () => stderr };
}
