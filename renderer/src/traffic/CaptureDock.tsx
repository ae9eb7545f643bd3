import { useState } from 'react';
import { DockResizer } from './DockResizer.js';
import { useCaptures, useCaptureView, useTraffic } from './traffic-context.js';
import type { CaptureSession } from './capture-session.js';
import { CapturePane } from './CapturePane.js';

/** The bottom dock: one tab per capture, or all of them side by side (both ends of a veth). */
export function CaptureDock() {
  const traffic = useTraffic();
  const { sessions, active, sideBySide } = useCaptures();
  const [height, setHeight] = useState(() => Math.round((typeof window !== 'undefined' ? window.innerHeight : 800) * 0.42));
  if (!traffic || sessions.length === 0) return null;
  const shown = sideBySide ? sessions : sessions.filter((s) => s.key === active);
  return (
    <section className="capture-dock" aria-label="captures" style={{ height }}>
      <DockResizer height={height} onHeight={setHeight} />
      <div className="dock-tabs" role="tablist" aria-label="capture tabs">
        {sessions.map((s) => (
          <Tab key={s.key} session={s} active={s.key === active} onPick={() => traffic.captures.activate(s.key)} onClose={() => traffic.captures.close(s.key)} />
        ))}
        <span className="dock-spacer" />
        {sessions.length > 1 ? (
          <button type="button" className="mini-btn" aria-pressed={sideBySide} onClick={() => traffic.captures.setSideBySide(!sideBySide)} aria-label="show captures side by side">
            {sideBySide ? 'One at a time' : 'Side by side'}
          </button>
        ) : null}
      </div>
      <div className={`dock-panes${sideBySide ? ' split' : ''}`}>
        {shown.map((s) => (
          <CapturePane key={s.key} session={s} />
        ))}
      </div>
    </section>
  );
}

function Tab({ session, active, onPick, onClose }: { session: CaptureSession; active: boolean; onPick: () => void; onClose: () => void }) {
  const v = useCaptureView(session);
  return (
    <span className={`dock-tab${active ? ' active' : ''}`}>
      <button type="button" role="tab" aria-selected={active} onClick={onPick}>
        {v.status === 'running' ? <span className="rec-dot" aria-hidden="true" /> : null}
        <span className="mono">{session.target.name}</span>
        <span className="dim"> · {session.target.nsName}</span>
        {v.packets.length ? <span className="count">{v.packets.length + v.trimmed}</span> : null}
      </button>
      <button type="button" className="tab-close" onClick={onClose} aria-label={`close capture on ${session.target.name} in ${session.target.nsName}`}>
        ×
      </button>
    </span>
  );
}
