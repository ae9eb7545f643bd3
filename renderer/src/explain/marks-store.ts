import { markKey } from './path-marks.js';
import type { PathMark, PathMarks } from './path-marks.js';

/** The explained path on the canvas, keyed by node/edge id; each node listens to its own id only. */
export interface MarksStore {
  get(id: string): PathMark | undefined;
  /** Replaces every mark; wakes only the ids whose mark changed (set, changed or cleared). */
  set(next: PathMarks): void;
  clear(): void;
  subscribeId(id: string, listener: () => void): () => void;
  size(): number;
}

/**
 * Like the counters store (STYLE §9): drawing or clearing a path re-renders the few nodes
 * and edges on it, never the whole graph, and never lays anything out.
 */
export function createMarksStore(): MarksStore {
  let marks: PathMarks = new Map();
  const listeners = new Map<string, Set<() => void>>();
  const wake = (id: string) => {
    for (const l of [...(listeners.get(id) ?? [])]) l();
  };
  const set = (next: PathMarks) => {
    const prev = marks;
    const changed: string[] = [];
    for (const [id, m] of next) {
      const old = prev.get(id);
      // Keep the old object when nothing moved, so useSyncExternalStore sees no change.
      if (old && markKey(old) === markKey(m)) next.set(id, old);
      else changed.push(id);
    }
    for (const id of prev.keys()) if (!next.has(id)) changed.push(id);
    marks = next;
    for (const id of changed) wake(id);
  };
  return {
    get: (id) => marks.get(id),
    set,
    clear: () => set(new Map()),
    subscribeId(id, l) {
      let s = listeners.get(id);
      if (!s) listeners.set(id, (s = new Set()));
      s.add(l);
      return () => {
        s.delete(l);
        if (s.size === 0) listeners.delete(id);
      };
    },
    size: () => marks.size,
  };
}
