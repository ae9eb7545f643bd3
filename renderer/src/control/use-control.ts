import { createContext, useContext, useSyncExternalStore } from 'react';
import { createControlStore } from './control-store.js';
import type { ControlState, ControlStore } from './control-store.js';

export const ControlContext = createContext<ControlStore | null>(null);

/** Without a provider (older tests, a page with no helper) every call says "not connected". */
let fallback: ControlStore | null = null;

export function useControlStore(): ControlStore {
  const s = useContext(ControlContext);
  if (s) return s;
  fallback ??= createControlStore(() => null);
  return fallback;
}

export function useControl<T>(select: (s: ControlState) => T): T {
  const store = useControlStore();
  return useSyncExternalStore(store.subscribe, () => select(store.getState()));
}
