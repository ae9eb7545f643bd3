import { closeSync, openSync, readSync } from 'node:fs';
import { CountersParams, type CounterValues, type CountersSample } from '../../protocol/src/counters.js';
import { invalidFromZod } from '../../protocol/src/errors.js';
import { type Snapshot } from '../../protocol/src/snapshot.js';
import type { NsTarget } from '../discover/ns-target.js';
import type { Exec } from '../exec.js';
import { NativeKeepers } from './native-keepers.js';
import { NamespaceKeepers, netnsInode, type Keepers } from './ns-keepers.js';
import { parseProcNetDev } from './proc-net-dev.js';
import { RateTracker } from './rates.js';

/** What the topology cache (helper/discover/topology-cache.ts) already offers: pass it as is. */
export interface CountersSource {
  /** The latest topology: namespaces (pids, inode) and interfaces (name → id per namespace). */
  current(): Snapshot | null | undefined;
  /** How to enter a namespace (the topology cache's `target()`), for namespaces with no process. */
  target(nsId: string): NsTarget | undefined;
  /** netloom-nsread is there: idle namespaces get a thread of one process each, not a process. */
  readonly nativeReader?: boolean;
}

export interface CountersSink {
  onSample(sample: CountersSample): void;
  /** False while the consumer is backed up: only the newest sample is kept (coalesced). */
  ready?(): boolean;
}

export interface CountersHandle {
  /** Reads one sample now (also what each tick does). */
  sample(): Promise<CountersSample>;
  /** Delivers a sample held back while the consumer was not ready. */
  resume(): void;
  stop(): void;
  /** pids of the long-lived keepers (one per idle namespace: a process, or a thread of netloom-nsread). */
  keeperPids(): number[];
}

/**
 * Counters of every interface in every namespace at a fixed period (DESIGN §7), as rates and
 * totals. No process is spawned per sample: each namespace's table is /proc/<pid>/net/dev of a
 * process already inside it (the helper itself for its own namespace), and an idle namespace
 * gets one long-lived keeper for as long as the stream runs (a thread of one netloom-nsread
 * when it was built, else an idle `ip monitor link` each).
 */
export function startCounters(exec: Exec, source: CountersSource, input: unknown, signal: AbortSignal | undefined, sink: CountersSink): CountersHandle {
  const parsed = CountersParams.safeParse(input ?? {});
  if (!parsed.success) throw invalidFromZod(parsed.error);
  const { intervalMs } = parsed.data;
  const keepers: Keepers = source.nativeReader === true ? new NativeKeepers(exec) : new NamespaceKeepers(exec);
  const rates = new RateTracker();
  let lastAt: number | null = null;
  let pending: CountersSample | null = null;
  let coalesced = 0;
  let stopped = false;
  let busy = false;
  const selfInode = netnsInode('self');

  // Interface name → id per namespace, rebuilt only when the topology object changes.
  let namesOf: { snap: Snapshot; byNs: Map<string, Map<string, string>> } | null = null;
  const names = (snap: Snapshot): Map<string, Map<string, string>> => {
    if (namesOf?.snap !== snap) {
      const byNs = new Map<string, Map<string, string>>();
      for (const i of snap.interfaces) {
        let m = byNs.get(i.ns);
        if (m === undefined) byNs.set(i.ns, (m = new Map()));
        m.set(i.name, i.id);
      }
      namesOf = { snap, byNs };
    }
    return namesOf.byNs;
  };

  const pidFor = async (ns: Snapshot['namespaces'][number]): Promise<number | 'self' | null> => {
    const own = source.target(ns.id)?.own ?? false;
    if (own || (await selfInode) === ns.inode) return 'self';
    // A pid may have exited and been reused: it counts only while it is still in the namespace.
    for (const pid of ns.pids.slice(0, 3)) if ((await netnsInode(pid)) === ns.inode) return pid;
    const t = source.target(ns.id);
    return t ? await keepers.pidIn(t, ns.inode) : null;
  };

  const sample = async (): Promise<CountersSample> => {
    const snap = source.current();
    const totals = new Map<string, CounterValues>();
    const at = Date.now();
    if (snap) {
      keepers.prune(new Set(snap.namespaces.map((n) => n.id)));
      await Promise.all(
        snap.namespaces.map(async (ns) => {
          const pid = await pidFor(ns);
          if (pid === null) return;
          const text = readProcFile(`/proc/${pid}/net/dev`);
          const byName = names(snap).get(ns.id);
          if (text === null || byName === undefined) return;
          for (const [name, values] of parseProcNetDev(text)) {
            const id = byName.get(name);
            if (id !== undefined) totals.set(id, values);
          }
        }),
      );
    }
    const periodMs = lastAt === null ? 0 : at - lastAt;
    lastAt = at;
    return { at, periodMs, interfaces: rates.update(at, totals), coalesced };
  };

  const deliver = (s: CountersSample): void => {
    if (sink.ready && !sink.ready()) {
      if (pending !== null) coalesced++;
      pending = { ...s, coalesced };
      return;
    }
    pending = null;
    sink.onSample({ ...s, coalesced });
  };

  const tick = async (): Promise<void> => {
    if (busy || stopped) return; // a slow read never overlaps the next
    busy = true;
    try {
      const s = await sample();
      if (!stopped) deliver(s);
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void tick(), intervalMs);
  void tick();
  const stop = (): void => {
    stopped = true;
    clearInterval(timer);
    keepers.stopAll();
  };
  if (signal?.aborted) stop();
  else signal?.addEventListener('abort', stop, { once: true });

  return {
    sample,
    resume: () => {
      if (pending !== null) deliver(pending);
    },
    stop,
    keeperPids: () => keepers.pids(),
  };
}

const buf = Buffer.allocUnsafe(256 * 1024);

/**
 * Reads a small /proc file synchronously into a reused buffer: 200 of these take a few ms, far
 * less than 200 promise-based reads (open, stat, read, close each a trip through the thread pool).
 */
function readProcFile(path: string): string | null {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return null;
  }
  try {
    let n = 0;
    for (;;) {
      const k = readSync(fd, buf, n, buf.length - n, null);
      if (k === 0 || n + k >= buf.length) return buf.toString('utf8', 0, n + k);
      n += k;
    }
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}
