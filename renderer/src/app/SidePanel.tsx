import type { ReactNode } from 'react';

/** The shell every side panel shares: an aside named for screen readers and its close button. */
export function SidePanel({ className, label, onClose, children }: { className: string; label: string; onClose: () => void; children: ReactNode }) {
  return (
    <aside className={`side-panel ${className}`} aria-label={label}>
      <button type="button" className="panel-close" onClick={onClose} aria-label={`close ${label}`}>
        ×
      </button>
      {children}
    </aside>
  );
}
