import { useEffect, useRef } from 'react';

/**
 * Escape closes this overlay (the full decode, a followed stream) and only it: the key is taken in
 * the capture phase, before the window's shortcuts would close the side panel or the selection.
 */
export function useEscapeToClose(onClose: () => void): void {
  const close = useRef(onClose);
  close.current = onClose;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      e.stopPropagation();
      e.preventDefault();
      close.current();
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, []);
}
