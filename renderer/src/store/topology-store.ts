import { applyPatch } from '../../../protocol/src/index.js';
import type { Snapshot, TopologyPatch } from '../../../protocol/src/index.js';

export type Connection =
  | { state: 'connecting' }
  | { state: 'live' }
  | {
      state: 'disconnected';
      reason: string;
      retryAt: number | null;
      /** Offered instead of a retry when another page took the session over: take it back. */
      resume?: () => void;
    };

export interface TopologyState {
  snapshot: Snapshot | null;
  connection: Connection;
  /** The picture is from before the connection was lost. */
  stale: boolean;
  mode: 'electron' | 'browser' | null;
}

export interface TopologyStore {
  getState(): TopologyState;
  subscribe(listener: () => void): () => void;
  setSnapshot(s: Snapshot): void;
  applyPatch(p: TopologyPatch): void;
  setConnection(c: Connection, mode?: 'electron' | 'browser'): void;
}

/**
 * One snapshot, patched in place by topology.watch. applyPatch keeps every unchanged
 * namespace and interface object as it was, so the graph can tell what changed by identity.
 */
export function createTopologyStore(): TopologyStore {
  let state: TopologyState = { snapshot: null, connection: { state: 'connecting' }, stale: false, mode: null };
  const listeners = new Set<() => void>();
  const set = (next: Partial<TopologyState>) => {
    state = { ...state, ...next };
    for (const l of listeners) l();
  };
  return {
    getState: () => state,
    subscribe: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    setSnapshot: (snapshot) => set({ snapshot, stale: false }),
    applyPatch: (p) => {
      if (state.snapshot) set({ snapshot: applyPatch(state.snapshot, p) });
    },
    setConnection: (connection, mode) => set({ connection, stale: connection.state !== 'live' && state.snapshot !== null, ...(mode ? { mode } : {}) }),
  };
}
