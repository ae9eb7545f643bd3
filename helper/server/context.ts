import type { Snapshot } from '../../protocol/src/snapshot.js';

/** A live view of the topology that watchers share (helper/watch/live-topology.ts). */
export interface TopologyFeed {
  /** The current snapshot: fresh from the live watcher if one runs, else a new read. */
  snapshot(signal?: AbortSignal): Promise<Snapshot>;
  /**
   * Joins the shared watcher (starting it for the first subscriber); `onChange` gets every
   * newer snapshot. Resolves with the snapshot to start from.
   */
  subscribe(onChange: (next: Snapshot) => void, signal?: AbortSignal): Promise<TopologySubscription>;
}

export interface TopologySubscription {
  initial: Snapshot;
  /** Leaves; the last one to leave stops the watcher and its children. */
  unsubscribe(): void;
}

/** What every connection of one helper process shares. */
export interface ServerContext {
  topology: TopologyFeed;
  /** Diagnostics for people (stderr); never sent to clients. */
  log(message: string): void;
}
