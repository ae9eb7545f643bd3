import type { Snapshot } from '../../protocol/src/snapshot.js';
import type { NsTarget } from '../discover/ns-target.js';
import type { Exec } from '../exec.js';
import type { Journal } from '../intents/journal.js';
import type { CaptureBudget } from './capture-budget.js';
import type { CaptureRegistry } from './capture-registry.js';

/** A live view of the topology that watchers share (helper/watch/live-topology.ts). */
export interface TopologyFeed {
  /** The current snapshot: fresh from the live watcher if one runs, else a new read. */
  snapshot(signal?: AbortSignal): Promise<Snapshot>;
  /**
   * Joins the shared watcher (starting it for the first subscriber); `onChange` gets every
   * newer snapshot. Resolves with the snapshot to start from.
   */
  subscribe(onChange: (next: Snapshot) => void, signal?: AbortSignal): Promise<TopologySubscription>;
  /** Asks a running watcher to re-read now (after netloom itself changed something); a no-op when none runs. */
  poke?(nsIds: string[], rescan: boolean): void;
}

export interface TopologySubscription {
  initial: Snapshot;
  /** Leaves; the last one to leave stops the watcher and its children. */
  unsubscribe(): void;
}

/** The topology cache as the streams need it (helper/discover/topology-cache.ts). */
export interface TargetSource {
  current(): Snapshot | null;
  target(nsId: string): NsTarget | undefined;
  /** Namespaces are read, watched and kept with netloom-nsread (see TopologyCache). */
  readonly nativeReader?: boolean;
}

/** What every connection of one helper process shares. */
export interface ServerContext {
  topology: TopologyFeed;
  /** Diagnostics for people (stderr); never sent to clients. */
  log(message: string): void;
  /** The one door to programs (recording fake in tests). */
  exec: Exec;
  /** The cache behind `topology`: last snapshot and how to enter each namespace. */
  targets: TargetSource;
  /** How to enter a namespace by id, reading the namespaces first when the cache has not seen it. */
  resolveTarget(nsId: string, signal?: AbortSignal): Promise<NsTarget | undefined>;
  /** Write-ahead journal of applied plans ($NETLOOM_STATE_DIR). */
  journal: Journal;
  /** Control methods wait for this: the start-up rollback of an interrupted plan. */
  journalReady?: Promise<void>;
  /**
   * Browser mode only: the WebSocket's port, so a capture on the helper's own loopback leaves
   * netloom's own traffic out by default. Set by `serve` once it listens.
   */
  browserPort?: number;
  /** What all captures of this helper may hold (capture-budget.ts); default: one budget per process. */
  captureBudget?: CaptureBudget;
}

/** What one connection owns; dropped when it closes. */
export interface Session {
  captures: CaptureRegistry;
}
