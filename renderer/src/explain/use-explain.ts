import { createContext, useCallback, useContext, useSyncExternalStore } from 'react';
import { createExplainStore } from './explain-store.js';
import type { ExplainState, ExplainStore } from './explain-store.js';
import type { PathMark } from './path-marks.js';

export const ExplainContext = createContext<ExplainStore | null>(null);

/** Without a provider (older tests, a page with no helper) every call says "not connected". */
let fallback: ExplainStore | null = null;

export function useExplainStore(): ExplainStore {
  const s = useContext(ExplainContext);
  if (s) return s;
  fallback ??= createExplainStore(() => null);
  return fallback;
}

export function useExplain<T>(select: (s: ExplainState) => T): T {
  const store = useExplainStore();
  return useSyncExternalStore(store.subscribe, () => select(store.getState()));
}

/** The explained path's mark on one node or edge; re-renders only when that id's mark changes. */
export function usePathMark(id: string): PathMark | undefined {
  const { marks } = useExplainStore();
  const subscribe = useCallback((l: () => void) => marks.subscribeId(id, l), [marks, id]);
  return useSyncExternalStore(subscribe, () => marks.get(id));
}
