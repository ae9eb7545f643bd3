import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { PassThrough } from 'node:stream';
import type { HostTarget } from '../../protocol/src/hosts.js';
import { bundleFor } from './bundle.js';
import { bundleCacheKey, bundleCacheWanted, gzippedTar } from './bundle-cache.js';
import { emptyFacts, goLine, parseStageLine, sessionCommand, STOP_LINE, SUDO_PROMPT, type StageFacts, type SudoMode } from './remote-script.js';
import { HostError, hostError } from './ssh-errors.js';
import { spawnSsh, type SshOptions } from './ssh-exec.js';
import { multiplexOptions } from './ssh-master.js';
import { tarArchive } from './tar-writer.js';

export interface BootstrapOptions extends SshOptions {
  /** Send this machine's Node.js even when the remote has a usable one (tests of the self-contained path). */
  forceOwnNode?: boolean;
  /** The built helper to send (default: beside this bundle, or the checkout's out/helper). */
  helperDir?: string;
  /**
   * Asked when sudo there wants a password (netloom keeps none): the app's prompt. Without it a
   * sudo that wants one is refused with a sentence saying what to change (the CLI).
   */
  askPassword?: (host: string) => Promise<string | null>;
  /** Told when each step of the session's script is reached (ms since ssh started): where a connect's time goes. */
  onStage?: (stage: 'dir' | 'ready' | 'go' | 'cached' | 'need' | 'staged', ms: number) => void;
  /** Let root keep the bundle between sessions, checked by hash before each use (bundle-cache.ts). */
  bundleCache?: boolean;
  /** Send the bundle gzipped when the host has gzip (default; NETLOOM_BUNDLE_GZIP=no: a plain tar). */
  gzipBundle?: boolean;
  /** Where the connection is at, for the host's "connecting" label (the facts read, the bundle sent). */
  onStep?: (step: string) => void;
}

/** A command running as root on the remote host, its bundle staged and checked (remote-script.ts). */
export interface Session {
  child: ChildProcessWithoutNullStreams;
  /** The command's own stdout (what follows `netloom-staged`). */
  output: PassThrough;
  facts: StageFacts;
  sudo: SudoMode;
  /** ssh, facts, bundle sent and unpacked (ms). */
  stagedMs: number;
  stderr(): string;
}

export const targetLabel = (t: HostTarget): string => (t.port !== undefined ? `${t.destination}:${t.port}` : t.destination);

/**
 * One ssh connection: the host's facts, the bundle it needs (tar on stdin), then `args` run as
 * root there with the rest of stdin and stdout. Resolves once the bundle is staged; rejects with
 * a HostError that says what went wrong (ssh-errors.ts) and leaves nothing behind there.
 */
export async function openSession(target: HostTarget, args: readonly string[], opts: BootstrapOptions = {}): Promise<Session> {
  const label = targetLabel(target);
  const t0 = performance.now();
  const child = spawnSsh(target, sessionCommand(args), opts, await multiplexOptions(target, opts));
  const facts = emptyFacts();
  const output = new PassThrough();
  let stderr = '';
  let buffered = '';
  let staged = false;
  let refusal: Error | null = null;
  let password: string | null = null;
  // With the cache, the tar goes only when root asks for it (`netloom-need`).
  let pendingTar: Buffer | null = null;
  child.stdin.on('error', () => {}); // the remote may end first; its exit status says why
  return new Promise<Session>((resolve, reject) => {
    const stop = (e: Error): void => {
      refusal ??= e;
      child.stdin.end(STOP_LINE);
    };
    const decide = async (): Promise<void> => {
      if (facts.sudo === 'none') throw new HostError('no-sudo', 'unavailable', `${label}: you are not root there and sudo is not installed; netloom's helper needs root`, stderr);
      if (facts.missing.length > 0) throw new HostError('failed', 'unavailable', `${label} has no ${facts.missing.join(', ')}, which netloom needs to check the helper it copies`, stderr);
      const bundle = bundleFor({ machine: facts.machine ?? '', node: facts.node }, { forceOwnNode: opts.forceOwnNode, helperDir: opts.helperDir });
      if (facts.sudo === 'password') {
        const p = opts.askPassword ? await opts.askPassword(label) : null;
        if (p === null) {
          throw new HostError('sudo-password', 'denied', `sudo on ${label} wants a password (\`sudo -n\` was refused)${opts.askPassword ? ' and none was given: add the host again and enter it, or let this user run sudo without a password (NOPASSWD in sudoers)' : ' and the CLI never asks for one: log in as root, or let this user run sudo without a password (NOPASSWD), then try again'}`, stderr);
        }
        password = p;
      }
      const gzipped = facts.gzip && (opts.gzipBundle ?? !/^(no|off|0|false)$/i.test(process.env.NETLOOM_BUNDLE_GZIP ?? ''));
      const tar = gzipped ? gzippedTar(bundle) : tarArchive(bundle.files);
      opts.onStage?.('go', performance.now() - t0);
      if (bundleCacheWanted(opts.bundleCache)) {
        pendingTar = tar;
        child.stdin.write(goLine(bundle, tar.length, bundleCacheKey(bundle), gzipped));
      } else {
        child.stdin.write(goLine(bundle, tar.length, undefined, gzipped));
        child.stdin.write(tar);
      }
    };
    child.stdout.on('data', (chunk: Buffer) => {
      if (staged) return void output.write(chunk);
      buffered += chunk.toString('latin1');
      let nl: number;
      while (!staged && (nl = buffered.indexOf('\n')) >= 0) {
        const line = Buffer.from(buffered.slice(0, nl), 'latin1').toString('utf8');
        buffered = buffered.slice(nl + 1);
        parseStageLine(facts, line);
        const stage = /^netloom-(dir|ready|cached|need|staged)\b/.exec(line.trim())?.[1];
        if (stage === 'dir' || stage === 'ready' || stage === 'cached' || stage === 'need' || stage === 'staged') opts.onStage?.(stage, performance.now() - t0);
        if (stage === 'need' && pendingTar !== null) {
          child.stdin.write(pendingTar);
          pendingTar = null;
        }
        if (line.trim() === 'netloom-ready') {
          opts.onStep?.(facts.sudo === 'password' ? 'waiting for the sudo password' : 'copying the helper');
          decide().catch((e: unknown) => stop(e instanceof Error ? e : new Error(String(e))));
        }
        if (line.trim() === 'netloom-staged') {
          staged = true;
          if (buffered) output.write(Buffer.from(buffered, 'latin1'));
          buffered = '';
          resolve({ child, output, facts, sudo: facts.sudo as SudoMode, stagedMs: performance.now() - t0, stderr: () => stderr });
        }
      }
    });
    child.stderr.setEncoding('utf8').on('data', (t: string) => {
      stderr += t;
      // sudo -S asks on stderr: the password goes once, on the first prompt, and is not kept.
      while (stderr.includes(SUDO_PROMPT)) {
        stderr = stderr.replace(SUDO_PROMPT, '');
        if (password !== null) {
          child.stdin.write(password + '\n');
          password = null;
        } else {
          stderr += 'sudo: incorrect password attempt\n';
          child.kill('SIGTERM');
        }
      }
    });
    child.on('close', (code) => {
      password = null; // never handed over (ssh ended first): dropped all the same
      output.end();
      if (!staged) reject(refusal ?? hostError(label, stderr, code));
    });
  });
}
