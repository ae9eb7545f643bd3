import { existsSync, watch } from 'node:fs';
import type { FSWatcher } from 'node:fs';
import { readdir, readlink } from 'node:fs/promises';

/** Where `ip netns` and runtimes keep namespace bind mounts (DESIGN §4). */
export const NETNS_DIRS = ['/run/netns', '/run/docker/netns'];
export const PROC_POLL_MS = 1000;

/** The set of network namespaces processes live in: one readlink per pid, no programs run. */
export async function processNamespaceKeys(procDir = '/proc'): Promise<Set<string>> {
  const entries = await readdir(procDir).catch(() => [] as string[]);
  const links = await Promise.all(
    entries.filter((e) => /^\d+$/.test(e)).map((pid) => readlink(`${procDir}/${pid}/ns/net`).catch(() => null)),
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

  constructor(
    private readonly onChange: () => void,
    private readonly opts: { dirs?: string[]; procDir?: string; pollMs?: number } = {},
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
    for (const w of this.watchers.values()) w.close();
    this.watchers.clear();
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
      const now = await processNamespaceKeys(this.opts.procDir);
      if (this.timer === null) return;
      if (this.known !== null && !sameSet(this.known, now)) this.onChange();
      this.known = now;
    } finally {
      this.polling = false;
    }
  }
}
