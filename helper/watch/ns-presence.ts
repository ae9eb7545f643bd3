import { existsSync, watch } from 'node:fs';
import type { FSWatcher } from 'node:fs';
import { readdir, readlink } from 'node:fs/promises';
import { childPids } from '../exec.js';

/** Where `ip netns` and runtimes keep namespace bind mounts (DESIGN §4). */
export const NETNS_DIRS = ['/run/netns', '/run/docker/netns'];
export const PROC_POLL_MS = 1000;
/** A burst of link events asks for one look, this soon after the first. */
const SOON_MS = 20;

/**
 * The set of network namespaces processes live in: one readlink per pid, no programs run. The
 * helper's own children are left out: a namespace whose last other process ended must show as gone
 * even while our `ip monitor` still sits in it (and keeps it alive until the rescan stops it).
 */
export async function processNamespaceKeys(procDir = '/proc', exclude: Set<number> = new Set()): Promise<Set<string>> {
  const entries = await readdir(procDir).catch(() => [] as string[]);
  const links = await Promise.all(
    entries.filter((e) => /^\d+$/.test(e) && !exclude.has(Number(e))).map((pid) => readlink(`${procDir}/${pid}/ns/net`).catch(() => null)),
  );
  return new Set(links.filter((l): l is string => l !== null));
}

function sameSet(a: Set<string>, b: Set<string>): boolean {
  if (a.size !== b.size) return false;
  for (const x of a) if (!b.has(x)) return false;
  return true;
}

/**
 * Notices namespaces coming and going: inotify on the bind-mount directories (a named
 * namespace may hold no process at all) plus a cheap poll of /proc for process-only ones.
 */
export class NsPresence {
  private readonly watchers = new Map<string, FSWatcher>();
  private timer: ReturnType<typeof setInterval> | null = null;
  private known: Set<string> | null = null;
  private polling = false;
  private soon: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly onChange: () => void,
    private readonly opts: { dirs?: string[]; procDir?: string; pollMs?: number; exclude?: () => Set<number> } = {},
  ) {}

  start(): void {
    this.watchDirs();
    this.timer = setInterval(() => void this.tick(), this.opts.pollMs ?? PROC_POLL_MS);
    this.timer.unref();
    void this.tick();
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    if (this.soon !== null) clearTimeout(this.soon);
    this.soon = null;
    for (const w of this.watchers.values()) w.close();
    this.watchers.clear();
  }

  /**
   * Looks now instead of at the next tick: a link appearing (a container's veth) usually means a
   * namespace came or went, and waiting for the poll would cost up to a second.
   */
  checkSoon(): void {
    if (this.timer === null || this.soon !== null) return;
    this.soon = setTimeout(() => {
      this.soon = null;
      void this.tick();
    }, SOON_MS);
    this.soon.unref();
  }

  /** A directory that did not exist yet (Docker started later) is picked up on a later tick. */
  private watchDirs(): void {
    for (const dir of this.opts.dirs ?? NETNS_DIRS) {
      if (this.watchers.has(dir) || !existsSync(dir)) continue;
      try {
        const w = watch(dir, () => this.onChange());
        w.on('error', () => {
          w.close();
          this.watchers.delete(dir);
        });
        this.watchers.set(dir, w);
        if (this.known !== null) this.onChange();
      } catch {
        // Unreadable or vanished between the check and the watch: try again next tick.
      }
    }
  }

  private async tick(): Promise<void> {
    if (this.polling || this.timer === null) return;
    this.polling = true;
    try {
      this.watchDirs();
      const now = await processNamespaceKeys(this.opts.procDir, (this.opts.exclude ?? childPids)());
      if (this.timer === null) return;
      if (this.known !== null && !sameSet(this.known, now)) this.onChange();
      this.known = now;
    } finally {
      this.polling = false;
    }
  }
}
