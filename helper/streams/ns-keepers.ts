import type { ChildProcess } from 'node:child_process';
import { readlink } from 'node:fs/promises';
import type { Exec } from '../exec.js';
import { ipIn, type NsTarget } from '../discover/ns-target.js';
import { terminate } from '../exec.js';

/** The inode of the network namespace PID lives in, or null when it is gone. */
export async function netnsInode(pid: number | 'self'): Promise<number | null> {
  try {
    const m = /^net:\[(\d+)\]$/.exec(await readlink(`/proc/${pid}/ns/net`));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/** Something inside each idle namespace whose /proc/<pid>/net/dev shows that namespace's counters. */
export interface Keepers {
  /** A pid (or thread id) inside the namespace; null until one is there. */
  pidIn(target: NsTarget, inode: number): Promise<number | null>;
  /** Ends keepers of namespaces not in `live`. */
  prune(live: Set<string>): void;
  readonly count: number;
  pids(): number[];
  stopAll(): void;
}

/**
 * One long-lived, idle process inside each namespace that has none of its own (an idle
 * `ip netns add` namespace), so its counters can be read from /proc/<pid>/net/dev without
 * spawning anything per sample. `ip monitor link` enters the namespace itself (`ip -n`, or via
 * nsenter) and then just waits for netlink events; its output is drained and ignored.
 */
export class NamespaceKeepers implements Keepers {
  private readonly keepers = new Map<string, ChildProcess>();
  /** Keepers seen inside their namespace: a process does not leave it, so it is checked once. */
  private readonly entered = new Set<ChildProcess>();

  constructor(private readonly exec: Exec) {}

  /** A pid inside the namespace, starting a keeper if needed; null until the keeper has entered it. */
  async pidIn(target: NsTarget, inode: number): Promise<number | null> {
    let k = this.keepers.get(target.id);
    if (k === undefined || k.exitCode !== null || k.signalCode !== null) {
      k = this.exec.spawn(ipIn(target, ['monitor', 'link']));
      k.stdout?.resume();
      k.stderr?.resume();
      this.keepers.set(target.id, k);
    }
    if (k.pid === undefined) return null;
    if (this.entered.has(k)) return k.pid;
    if ((await netnsInode(k.pid)) !== inode) return null;
    this.entered.add(k);
    return k.pid;
  }

  /** Ends keepers of namespaces not in `live`. */
  prune(live: Set<string>): void {
    for (const [id, k] of this.keepers) {
      if (live.has(id)) continue;
      terminate(k);
      this.keepers.delete(id);
      this.entered.delete(k);
    }
  }

  get count(): number {
    return this.keepers.size;
  }

  pids(): number[] {
    return [...this.keepers.values()].flatMap((k) => (k.pid !== undefined ? [k.pid] : []));
  }

  stopAll(): void {
    this.prune(new Set());
  }
}
