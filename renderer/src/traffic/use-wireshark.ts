import { useEffect, useState } from 'react';
import type { WiresharkBridge } from '../../../protocol/src/index.js';

/** The desktop app's Wireshark hand-off when Wireshark is installed; null in browser mode or without it. */
export function useWireshark(): WiresharkBridge | null {
  const bridge = typeof window !== 'undefined' ? window.netloom?.wireshark : undefined;
  const [ready, setReady] = useState(false);
  useEffect(() => {
    let live = true;
    bridge?.available().then((ok) => live && setReady(ok), () => live && setReady(false));
    return () => {
      live = false;
    };
  }, [bridge]);
  return bridge && ready ? bridge : null;
}
