import { useState } from 'react';
import type { Notice } from '../../../protocol/src/index.js';

/** The snapshot's notices ("Seeing other network namespaces needs the privileged helper"). */
export function NoticeBanner({ notices }: { notices: Notice[] }) {
  const [hidden, setHidden] = useState<Set<string>>(new Set());
  const shown = notices.filter((n) => !hidden.has(n.message));
  if (shown.length === 0) return null;
  return (
    <div className="notices">
      {shown.map((n) => (
        <div key={n.message} className={`notice notice-${n.level}`} role={n.level === 'warning' ? 'alert' : 'status'}>
          <span>{n.message}</span>
          <button type="button" className="icon-btn" aria-label="dismiss notice" onClick={() => setHidden(new Set([...hidden, n.message]))}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
