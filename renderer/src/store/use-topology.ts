import { createContext, useContext, useSyncExternalStore } from 'react';
import type { TopologyState, TopologyStore } from './topology-store.js';

export const TopologyContext = createContext<TopologyStore | null>(null);

export function useTopologyStore(): TopologyStore {
  const s = useContext(TopologyContext);
  if (!s) throw new Error('useTopology needs a TopologyContext provider');
  return s;
}

/** Subscribes to one slice; a component re-renders only when its slice changes identity. */
export function useTopology<T>(select: (s: TopologyState) => T): T {
  const store = useTopologyStore();
  return useSyncExternalStore(store.subscribe, () => select(store.getState()));
}
