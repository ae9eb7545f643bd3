import { constants } from 'node:fs';
import { mkdir, open } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { FileHandle } from 'node:fs/promises';
import { ProtocolError } from '../../protocol/src/errors.js';
import { systemExec } from '../exec.js';
import type { Exec, Program } from '../exec.js';
import { nsreadPath } from '../native/nsread-path.js';
import { HOLDER_BYTES, LOCK_FILE_BYTES } from './journal-spare.js';
import { checkTrusted } from './journal-trust.js';

/**
 * The journal's writer lock (issue 13 item 2): one plan at a time, in this process and across
 * processes, never two interleaved.
 *
 * Across processes it is flock(2) on `STATE_DIR/lock`. Node has no flock, so the system call is
 * made by a child on a descriptor handed to it (netloom-nsread --flock, helper/native/fdops.c;
 * util-linux flock(1) on fd 3 where netloom-nsread was not built). A flock belongs to the open
 * file description, which this process keeps: the lock outlives the child and dies with us —
 * kill -9 included — so there is never a stale lock to take over, and no race in taking one over
 * (what let two applies run at once before: both saw a dead owner's pid and both took the lock).
 * The lock file is never deleted (deleting a locked file lets a third process lock a new one).
 *
 * In this process a FIFO queue comes first: flock would not stop two requests of one helper
 * (one open file description each would, but the queue also gives order and a bound).
 */

export interface LockOptions {
  /** How long to wait for the lock before refusing with `busy` (conflict); 0 refuses at once. Default 30 s. */
  waitMs?: number;
  signal?: AbortSignal;
  /** Told when the lock is taken by someone else and we wait (then every 5 s): who holds it. */
  onWait?: (holder: string) => void;
  /** Written into the lock file while we hold it, for the next one's message ("netloom apply"). */
  who?: string;
}

export const DEFAULT_LOCK_WAIT_MS = 30_000;
/** Requests of one helper waiting in line; one more is refused `busy`. */
export const MAX_QUEUED = 16;
const PROGRESS_EVERY_MS = 5_000;

interface Queue {
  tail: Promise<void>;
  /** Callers in line or holding the lock. */
  active: number;
  waiting: number;
  holder: string | null;
  /** Who joined the line last: the one the next caller waits behind. */
  last: string;
}
const queues = new Map<string, Queue>();

export function busyError(holder: string, waitedMs: number): ProtocolError {
  const waited = waitedMs > 0 ? `; waited ${Math.round(waitedMs / 1000)} s` : '';
  return new ProtocolError('conflict', `busy: another netloom (${holder}) is changing the network right now${waited}. Try again when it is done`, {
    details: { busy: true, holder },
  });
}

/** flock on fd 3 of a child: exit 0 locked, 1 held by another (non-blocking only). */
function flockArgv(wait: boolean): [Program, ...string[]] {
  if (nsreadPath() !== null) return ['netloom-nsread', wait ? '--flock' : '--flock-nb'];
  return wait ? ['flock', '3'] : ['flock', '-n', '3'];
}

async function flockOnce(exec: Exec, fh: FileHandle, wait: boolean, signal: AbortSignal | undefined, timeoutMs: number | undefined): Promise<boolean> {
  const r = await exec.run(flockArgv(wait), { fds: [fh.fd], allowFailure: true, ...(signal ? { signal } : {}), ...(timeoutMs !== undefined ? { timeoutMs } : {}) });
  if (r.exitCode === 0) return true;
  if (r.exitCode === 1 && !wait) return false;
  throw new ProtocolError('failed', `the journal lock could not be taken: ${r.stderr.trim() || `flock exited ${r.exitCode}`}`);
}

async function holderOf(fh: FileHandle): Promise<string> {
  const buf = Buffer.alloc(200);
  const { bytesRead } = await fh.read(buf, 0, buf.length, 0).catch(() => ({ bytesRead: 0 }));
  const text = buf.subarray(0, Math.min(bytesRead, HOLDER_BYTES)).toString('utf8').split('\n')[0]?.trim() ?? '';
  const m = /^(\d+) (.*)$/.exec(text);
  return m ? `pid ${m[1]}: ${m[2]}` : 'another process';
}

/** Opens the lock file (never through a symlink, ours and 0600) and takes the flock, waiting as asked. */
async function lockFile(exec: Exec, file: string, opts: LockOptions, deadline: number): Promise<FileHandle> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const fh = await open(file, constants.O_RDWR | constants.O_CREAT | constants.O_NOFOLLOW, 0o600);
  try {
    await checkTrusted(fh, file);
    if (!(await flockOnce(exec, fh, false, opts.signal, undefined))) {
      const holder = await holderOf(fh);
      const left = deadline - Date.now();
      if (left <= 0) throw busyError(holder, 0);
      opts.onWait?.(holder);
      const progress = setInterval(() => void holderOf(fh).then((h) => opts.onWait?.(h)), PROGRESS_EVERY_MS);
      try {
        await flockOnce(exec, fh, true, opts.signal, left);
      } catch (e) {
        if (opts.signal?.aborted) throw new ProtocolError('cancelled', 'cancelled while waiting for the journal lock');
        if (e instanceof ProtocolError && /took longer than/.test(e.message)) throw busyError(await holderOf(fh), left);
        throw e;
      } finally {
        clearInterval(progress);
      }
    }
    // Made 4 KiB once, never truncated: the spare record slot (journal-spare.ts) must need no new space.
    const { size } = await fh.stat();
    if (size < LOCK_FILE_BYTES) await fh.write(' '.repeat(LOCK_FILE_BYTES - size), size);
    await fh.write(`${process.pid} ${opts.who ?? 'netloom'}`.slice(0, HOLDER_BYTES - 1).padEnd(HOLDER_BYTES - 1, ' ') + '\n', 0);
    return fh;
  } catch (e) {
    await fh.close();
    throw e;
  }
}

/** Resolves when `p` does, or rejects with `busy` at the deadline / `cancelled` on abort. */
function waitTurn(p: Promise<void>, deadline: number, holder: () => string, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const left = deadline - Date.now();
    const timer = setTimeout(() => reject(busyError(holder(), Math.max(left, 0))), Math.max(left, 0));
    const onAbort = (): void => reject(new ProtocolError('cancelled', 'cancelled while waiting for the journal lock'));
    signal?.addEventListener('abort', onAbort, { once: true });
    void p.then(() => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve();
    });
  });
}

/** Runs `fn` holding the lock on `file`: first in this process's queue, then the flock. */
export async function withJournalLock<T>(file: string, fn: () => Promise<T>, opts: LockOptions = {}, exec: Exec = systemExec): Promise<T> {
  const deadline = Date.now() + (opts.waitMs ?? DEFAULT_LOCK_WAIT_MS);
  let q = queues.get(file);
  if (!q) queues.set(file, (q = { tail: Promise.resolve(), active: 0, waiting: 0, holder: null, last: '' }));
  const queue = q;
  const who = opts.who ?? 'netloom';
  if (queue.waiting >= MAX_QUEUED) throw busyError(`this helper, with ${queue.waiting} changes waiting`, 0);
  const before = queue.tail;
  let release!: () => void;
  queue.tail = new Promise<void>((r) => (release = r));
  const ahead = queue.active > 0 ? queue.last : null;
  queue.last = who;
  queue.active++;
  queue.waiting++;
  let inLine = true;
  const leaveLine = (): void => {
    if (inLine) queue.waiting--;
    inLine = false;
  };
  let fh: FileHandle | null = null;
  try {
    if (ahead !== null) opts.onWait?.(`this process: ${ahead}`);
    await waitTurn(before, deadline, () => `this process: ${queue.holder ?? ahead ?? 'netloom'}`, opts.signal);
    leaveLine();
    fh = await lockFile(exec, file, opts, deadline);
    queue.holder = who;
    return await fn();
  } finally {
    leaveLine();
    queue.active--;
    if (fh !== null) {
      queue.holder = null;
      await fh.close().catch(() => {});
      release();
    } else {
      // Left the line without the lock: whoever is behind us waits for whoever was ahead.
      void before.then(release);
    }
  }
}

/** Whether this process holds (or waits for) the lock on `file`: the jump restorer stays away then. */
export function lockBusyHere(file: string): boolean {
  const q = queues.get(file);
  return q !== undefined && (q.holder !== null || q.waiting > 0);
}
