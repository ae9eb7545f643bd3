import { useEffect, useRef } from 'react';
import type { Snapshot } from '../../../protocol/src/index.js';
import { useControl } from '../control/use-control.js';
import { useExplainStore } from './use-explain.js';
import { RERUN_DELAY_MS } from './use-rerun.js';

/** The health view checks again when the topology changes or a plan is applied or undone. */
export function useRerunHealth(snapshot: Snapshot | null): void {
  const store = useExplainStore();
  const applied = useControl((s) => s.apply.last);
  const undoing = useControl((s) => s.undoing);
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    if (undoing) return;
    const t = setTimeout(() => void store.loadHealth(), RERUN_DELAY_MS);
    return () => clearTimeout(t);
  }, [snapshot, applied, undoing, store]);
}
