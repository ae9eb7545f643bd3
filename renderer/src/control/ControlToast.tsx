import { useEffect } from 'react';
import { useControl, useControlStore } from './use-control.js';

/** Apply and undo results, bottom centre, gone after a few seconds (errors stay until closed). */
export function ControlToast() {
  const store = useControlStore();
  const toast = useControl((s) => s.toast);
  useEffect(() => {
    if (!toast || toast.kind === 'error') return;
    const t = setTimeout(() => store.dismissToast(), 5000);
    return () => clearTimeout(t);
  }, [toast, store]);
  if (!toast) return null;
  return (
    <div className={`ctl-toast ctl-toast-${toast.kind}`} role={toast.kind === 'error' ? 'alert' : 'status'} aria-label="result">
      <span>{toast.text}</span>
      <button type="button" className="ctl-x" onClick={() => store.dismissToast()} aria-label="dismiss">
        ×
      </button>
    </div>
  );
}
