import { useEffect, useRef } from 'react';
import { useControl } from './use-control.js';

/** Calls `open` when the control store asks for a panel (something was queued with open, "Review" clicked). */
export function useControlPanels(open: (panel: 'pending' | 'history') => void): void {
  const req = useControl((s) => s.open);
  const ref = useRef(open);
  ref.current = open;
  useEffect(() => {
    if (req) ref.current(req.panel);
  }, [req]);
}
