import type { Writable } from 'node:stream';
import { MAX_LINE_BYTES, MAX_MESSAGE_CHARS } from '../protocol/src/framing.js';
import type { SpawnFn } from './helper-stdio.js';
import { endChild } from './end-child.js';

/**
 * `netloom hosts --stdio` as a child of main, run as the user (docs/multi-host.md, "The desktop
 * app's host layer"): the page's protocol on its stdin/stdout, the local helper core's protocol on
 * fd 3 (it writes requests there and reads the core's lines from there).
 */
export interface HostsProcess {
  /** Page → hosts process (whole JSON lines). False when it cannot take more (gone, or stuck). */
  toStdin(text: string): boolean;
  /** Core → hosts process on fd 3. False as above. */
  toCore(text: string): boolean;
  /** Its stdout: lines for the page (may cut or join lines anywhere). */
  onStdout(cb: (text: string) => void): void;
  /** Its fd 3: requests for the core. */
  onCoreText(cb: (text: string) => void): void;
  /** Once: why it is gone; `spoke` says whether it ever wrote to stdout, `stderrHead` its first words. */
  onClose(cb: (reason: string, info: { spoke: boolean; stderrHead: string }) => void): void;
  /** Input closed (it closes its ssh sessions and exits 0), then SIGTERM, then SIGKILL. */
  close(): Promise<void>;
}

export interface HostsProcessOptions {
  spawn: SpawnFn;
  command: string;
  args: readonly string[];
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
  /** After input closes: how long before SIGTERM, then how long before SIGKILL. */
  graceMs?: number;
  /**
   * The most held for a pipe the process is not reading (Node buffers writes without limit):
   * past it the process is stuck, and it is ended rather than let main's memory grow.
   */
  maxBufferedBytes?: number;
}

const STDERR_KEEP = 400;
/**
 * One message of the largest kind (a snapshot of a big host, in parts) may always be on its way;
 * main reads the process's stdout as it comes, so more than that waiting on a pipe means it is
 * stuck, not busy.
 */
export const MAX_BUFFERED_BYTES = MAX_MESSAGE_CHARS + MAX_LINE_BYTES;

export function spawnHostsProcess(opts: HostsProcessOptions): HostsProcess {
  const graceMs = opts.graceMs ?? 1000;
  const maxBuffered = opts.maxBufferedBytes ?? MAX_BUFFERED_BYTES;
  const child = opts.spawn(opts.command, opts.args, { env: opts.env, stdio: ['pipe', 'pipe', 'pipe', 'pipe'] });
  const fd3 = child.stdio?.[3] as (Writable & NodeJS.ReadableStream) | null | undefined;
  const stdoutCbs: ((t: string) => void)[] = [];
  const coreCbs: ((t: string) => void)[] = [];
  const closeCbs: ((r: string, info: { spoke: boolean; stderrHead: string }) => void)[] = [];
  let spoke = false;
  let stderrHead = '';
  let stderrTail = '';
  let closed: { reason: string } | null = null;
  let closing: Promise<void> | null = null;

  const finish = (reason: string): void => {
    if (closed !== null) return;
    closed = { reason };
    for (const cb of closeCbs.splice(0)) cb(reason, { spoke, stderrHead });
  };
  const gone = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      const how = signal !== null ? `was killed by ${signal}` : `exited with code ${code ?? 'unknown'}`;
      // The tail says why it died; an unknown command's reason is its first line (usage follows).
      const tail = stderrTail.trim().split('\n').slice(-1)[0] ?? '';
      finish(tail === '' ? `the hosts process ${how}` : `the hosts process ${how}: ${tail}`);
      resolve();
    });
    child.once('error', (e) => {
      finish(`the hosts process could not be started: ${e.message}`);
      resolve();
    });
  });

  child.stdout?.setEncoding('utf8');
  child.stdout?.on('data', (chunk: string) => {
    spoke = true;
    for (const cb of stdoutCbs) cb(chunk);
  });
  fd3?.setEncoding('utf8');
  fd3?.on('data', (chunk: string) => {
    for (const cb of coreCbs) cb(chunk);
  });
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    if (stderrHead.length < STDERR_KEEP) stderrHead = (stderrHead + chunk).slice(0, STDERR_KEEP);
    stderrTail = (stderrTail + chunk).slice(-STDERR_KEEP);
    for (const line of chunk.split('\n')) if (line.trim() !== '') opts.log(`hosts: ${line}`);
  });
  // A process that died mid-write must not crash main with EPIPE.
  child.stdin?.on('error', () => {});
  fd3?.on('error', () => {});

  const write = (pipe: Writable | null | undefined, name: string, text: string): boolean => {
    if (closed !== null || closing !== null || !pipe?.writable) return false;
    if (pipe.writableLength + text.length > maxBuffered) {
      opts.log(`hosts: the hosts process stopped reading its ${name} (${pipe.writableLength} bytes waiting); ending it`);
      child.kill('SIGKILL');
      return false;
    }
    pipe.write(text);
    return true;
  };

  return {
    toStdin: (text) => write(child.stdin, 'input', text),
    toCore: (text) => write(fd3, 'fd 3', text),
    onStdout: (cb) => void stdoutCbs.push(cb),
    onCoreText: (cb) => void coreCbs.push(cb),
    onClose(cb) {
      if (closed !== null) cb(closed.reason, { spoke, stderrHead });
      else closeCbs.push(cb);
    },
    close() {
      closing ??= (async () => {
        if (closed !== null) return;
        await endChild(child, gone, graceMs);
      })();
      return closing;
    },
  };
}
