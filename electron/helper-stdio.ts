import type { ChildProcess, SpawnOptions } from 'node:child_process';
import type { HelperConnection } from './helper-connection.js';
import { endChild } from './end-child.js';

export type SpawnFn = (command: string, args: readonly string[], options: SpawnOptions) => ChildProcess;

export interface StdioHelperOptions {
  spawn: SpawnFn;
  command: string;
  args: readonly string[];
  env: NodeJS.ProcessEnv;
  /** Where the helper's stderr goes (main's log); its tail also ends up in the close reason. */
  log?: (line: string) => void;
  /** After input closes: how long before SIGTERM, then how long before SIGKILL. */
  graceMs?: number;
}

const STDERR_TAIL_CHARS = 400;

/** Why a child is gone, as a sentence (exit status and the tail of its stderr, like Cockpit's close). */
function exitReason(code: number | null, signal: NodeJS.Signals | null, stderrTail: string): string {
  const how = signal !== null ? `was killed by ${signal}` : `exited with code ${code ?? 'unknown'}`;
  const tail = stderrTail.trim();
  return tail === '' ? `the helper ${how}` : `the helper ${how}: ${tail}`;
}

/**
 * The helper as a direct child on stdio pipes (DESIGN §8: already root, or in tests).
 * Closing it closes its input first — the helper exits on EOF and kills its own
 * children — then SIGTERM, then SIGKILL if it still lingers.
 */
export function spawnStdioHelper(opts: StdioHelperOptions): HelperConnection {
  const graceMs = opts.graceMs ?? 1000;
  const child = opts.spawn(opts.command, opts.args, { env: opts.env, stdio: ['pipe', 'pipe', 'pipe'] });
  const textListeners: ((text: string) => void)[] = [];
  const closeListeners: ((reason: string) => void)[] = [];
  let stderrTail = '';
  let closedReason: string | null = null;
  let exited: Promise<void> | null = null;

  const finish = (reason: string): void => {
    if (closedReason !== null) return;
    closedReason = reason;
    for (const cb of closeListeners) cb(reason);
  };
  const gone = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      finish(exitReason(code, signal, stderrTail));
      resolve();
    });
    child.once('error', (e) => {
      // spawn failed (ENOENT, EACCES): there will be no 'exit'.
      finish(`the helper could not be started: ${e.message}`);
      resolve();
    });
  });

  child.stdout?.setEncoding('utf8');
  child.stdout?.on('data', (chunk: string) => {
    for (const cb of textListeners) cb(chunk);
  });
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderrTail = (stderrTail + chunk).slice(-STDERR_TAIL_CHARS);
    for (const line of chunk.split('\n')) if (line.trim() !== '') opts.log?.(`helper: ${line}`);
  });
  // A helper that died mid-write must not crash main with EPIPE.
  child.stdin?.on('error', () => {});

  return {
    send(text) {
      if (closedReason === null && child.stdin?.writable) child.stdin.write(text);
    },
    onText(cb) {
      textListeners.push(cb);
    },
    onClose(cb) {
      if (closedReason !== null) cb(closedReason);
      else closeListeners.push(cb);
    },
    close() {
      if (exited) return exited;
      exited = (async () => {
        if (closedReason !== null) return;
        await endChild(child, gone, graceMs);
      })();
      return exited;
    },
  };
}
