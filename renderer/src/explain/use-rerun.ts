import { useEffect, useRef } from 'react';
import type { Snapshot } from '../../../protocol/src/index.js';
import { useControl } from '../control/use-control.js';
import { useExplain, useExplainStore } from './use-explain.js';

/** Changes settle in bursts (a plan's steps arrive as several patches): wait for the last one. */
export const RERUN_DELAY_MS = 400;

/**
 * Asks the shown question again when the world it was about changes: a new snapshot or
 * patch, a plan applied anywhere (a fix, Pending changes) or undone (Ctrl+Z) — some fixes,
 * like a sysctl, never show up as a topology patch. So the path turns green by itself.
 */
export function useRerunOnChange(snapshot: Snapshot | null): void {
  const store = useExplainStore();
  const applied = useControl((s) => s.apply.last);
  const undoing = useControl((s) => s.undoing);
  const answered = useExplain((s) => s.path.params !== undefined && s.path.status !== 'idle');
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    if (!answered || undoing) return;
    const t = setTimeout(() => void store.rerun(), RERUN_DELAY_MS);
    return () => clearTimeout(t);
    // `answered` is left out on purpose: getting an answer is no reason to ask again.
  }, [snapshot, applied, undoing, store]);
}
