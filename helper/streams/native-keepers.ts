import type { ChildProcess } from 'node:child_process';
import type { NsTarget } from '../discover/ns-target.js';
import { terminate, type Exec } from '../exec.js';
import { safeCommand, startCommandChild } from '../native/command-child.js';
import type { Keepers } from './ns-keepers.js';

/**
 * Keepers as threads of one `netloom-nsread --keep` (helper/native/keep.c): each thread enters
 * one idle namespace, and /proc/<tid>/net/dev shows that namespace's counters. With 200 idle
 * namespaces that is one process instead of 200 `ip monitor link`s — started without the
 * event-loop stall of 200 spawns, ~2 MB resident in all.
 */
/** How long a first sample waits for a new thread to say it is inside. */
const ENTER_WAIT_MS = 1000;
/** A namespace the reader could not enter is not asked again sooner than this. */
const RETRY_AFTER_MS = 2000;

interface Entry {
  tid: number | null;
  waiting: ((tid: number | null) => void)[];
}

export class NativeKeepers implements Keepers {
  private child: ChildProcess | null = null;
  private readonly entries = new Map<string, Entry>();
  private readonly failedAt = new Map<string, number>();

  constructor(private readonly exec: Exec) {}

  get count(): number {
    return this.entries.size;
  }

  pids(): number[] {
    return [...this.entries.values()].flatMap((e) => (e.tid !== null ? [e.tid] : []));
  }

  async pidIn(target: NsTarget, _inode: number): Promise<number | null> {
    const known = this.entries.get(target.id);
    if (known?.tid != null) return known.tid;
    if (known === undefined) {
      const failed = this.failedAt.get(target.id);
      if (failed !== undefined && Date.now() - failed < RETRY_AFTER_MS) return null;
      if (!safeCommand(target.id, target.path)) return null;
      const child = this.ensureChild();
      this.entries.set(target.id, { tid: null, waiting: [] });
      child.stdin?.write(`+${target.id} ${target.path}\n`);
    }
    const entry = this.entries.get(target.id);
    if (entry === undefined) return null;
    return await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => resolve(null), ENTER_WAIT_MS);
      entry.waiting.push((tid) => {
        clearTimeout(timer);
        resolve(tid);
      });
    });
  }

  prune(live: Set<string>): void {
    for (const [id, e] of this.entries) {
      if (live.has(id)) continue;
      this.entries.delete(id);
      for (const w of e.waiting) w(null);
      this.child?.stdin?.write(`-${id}\n`);
    }
  }

  stopAll(): void {
    this.prune(new Set());
    const c = this.child;
    this.child = null;
    if (c !== null) {
      c.stdin?.end();
      terminate(c);
    }
  }

  private ensureChild(): ChildProcess {
    if (this.child !== null) return this.child;
    const child = startCommandChild(this.exec, '--keep', (line) => this.onLine(line));
    this.child = child;
    child.once('exit', () => {
      if (this.child !== child) return;
      this.child = null;
      // Its threads are gone with it: the next sample asks a new reader.
      for (const e of this.entries.values()) for (const w of e.waiting) w(null);
      this.entries.clear();
    });
    return child;
  }

  private onLine(line: string): void {
    const failed = line.startsWith('!');
    const [id = '', tidText = ''] = (failed ? line.slice(1) : line).split(' ');
    const e = this.entries.get(id);
    if (e === undefined) return;
    if (failed) {
      this.entries.delete(id);
      this.failedAt.set(id, Date.now());
      for (const w of e.waiting) w(null);
      return;
    }
    const tid = Number(tidText);
    e.tid = Number.isInteger(tid) && tid > 0 ? tid : null;
    for (const w of e.waiting.splice(0)) w(e.tid);
  }
}
