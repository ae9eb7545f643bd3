import { ProtocolError } from '../../protocol/src/errors.js';
import { diffSnapshots, isEmptyPatch } from '../../protocol/src/patch.js';
import type { Snapshot } from '../../protocol/src/snapshot.js';
import type { TopologyFeed, TopologySubscription } from '../server/context.js';
import type { LiveWatcher } from './live-watcher.js';
import type { TopologySource } from './topology-source.js';

export type WatcherFactory = (source: TopologySource, onSnapshot: (s: Snapshot) => void) => LiveWatcher;

function abortable<T>(p: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return p;
  if (signal.aborted) return Promise.reject(new ProtocolError('cancelled', 'cancelled'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new ProtocolError('cancelled', 'cancelled'));
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * The helper's one live topology: shared by every watcher of every connection, started
 * by the first subscriber and stopped when the last leaves (so its `ip monitor`
 * children live only while someone looks).
 */
export class LiveTopology implements TopologyFeed {
  private readonly listeners = new Set<(s: Snapshot) => void>();
  /** Subscribers joined or joining; the watcher runs while this is above zero. */
  private members = 0;
  private started: Promise<void> | null = null;
  private watcher: LiveWatcher | null = null;
  private last: Snapshot | null = null;
  private reading: Promise<Snapshot> | null = null;
  /** Bumped when the watcher stops, so a start that was overtaken does nothing. */
  private generation = 0;

  constructor(
    private readonly source: TopologySource,
    private readonly startWatcher: WatcherFactory,
  ) {}

  get running(): boolean {
    return this.watcher !== null;
  }

  async snapshot(signal?: AbortSignal): Promise<Snapshot> {
    if (this.watcher && this.last) return this.last;
    // Nobody watches, so the cache may be stale: read again, once for all concurrent callers.
    this.reading ??= this.source.refreshAll().finally(() => (this.reading = null));
    return await abortable(this.reading, signal);
  }

  async subscribe(onChange: (next: Snapshot) => void, signal?: AbortSignal): Promise<TopologySubscription> {
    this.members++;
    try {
      this.started ??= this.start();
      await abortable(this.started, signal);
    } catch (e) {
      this.leave();
      throw e;
    }
    const last = this.last;
    if (!last) {
      this.leave();
      throw new ProtocolError('unavailable', 'the live topology watcher stopped while starting; try again');
    }
    this.listeners.add(onChange);
    let left = false;
    return {
      initial: last,
      unsubscribe: () => {
        if (left) return;
        left = true;
        this.listeners.delete(onChange);
        this.leave();
      },
    };
  }

  poke(nsIds: string[], rescan: boolean): void {
    this.watcher?.poke?.(nsIds, rescan);
  }

  /** Stops the watcher and its children now (the helper is exiting); subscribers get nothing more. */
  stop(): void {
    this.listeners.clear();
    this.members = 0;
    this.generation++;
    this.watcher?.stop();
    this.watcher = null;
    this.started = null;
    this.last = null;
  }

  private async start(): Promise<void> {
    const gen = this.generation;
    try {
      const first = await this.source.refreshAll();
      if (gen !== this.generation || this.members === 0) return;
      this.last = first;
      this.watcher = this.startWatcher(this.source, (s) => this.publish(s));
    } catch (e) {
      if (gen === this.generation) this.started = null;
      throw e;
    }
  }

  private publish(next: Snapshot): void {
    if (this.last && isEmptyPatch(diffSnapshots(this.last, next))) return;
    this.last = next;
    for (const l of [...this.listeners]) l(next);
  }

  private leave(): void {
    this.members--;
    if (this.members > 0) return;
    this.generation++;
    this.watcher?.stop();
    this.watcher = null;
    this.started = null;
    this.last = null;
  }
}
