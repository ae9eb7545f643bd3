import { useEffect } from 'react';
import { useControl, useControlStore } from './use-control.js';
import { SidePanel } from '../app/SidePanel.js';
import './control.css';

const time = (iso: string) => {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });
};

/** Applied plans, newest first, and Undo for the last one (also Ctrl+Z). */
export function HistoryPanel({ onClose }: { onClose: () => void }) {
  const store = useControlStore();
  const history = useControl((s) => s.history);
  const undoing = useControl((s) => s.undoing);
  useEffect(() => {
    void store.loadHistory();
  }, [store]);
  // Newest first, whatever order the journal lists them in (ISO times sort as text).
  const plans = [...history.plans].sort((a, b) => b.at.localeCompare(a.at));
  const last = plans[0];
  return (
    <SidePanel className="ctl-panel" label="history" onClose={onClose}>
      <header className="insp-head">
        <h2>History</h2>
        <span className="count">{history.plans.length}</span>
      </header>
      <div className="ctl-buttons ctl-top">
        <button type="button" className="primary" onClick={() => void store.undo()} disabled={undoing || !last || !last.undoable} title="Undo the last plan (Ctrl+Z)">
          {undoing ? 'Undoing…' : 'Undo last plan'}
        </button>
        <span className="dim small">{last && !last.undoable ? 'The last plan cannot be undone (it deleted something).' : 'Ctrl+Z undoes the last plan directly.'}</span>
      </div>
      {history.status === 'error' && history.error ? (
        <p className="ctl-error" role="alert">
          {history.error.message}
        </p>
      ) : null}
      {history.status === 'loading' && plans.length === 0 ? <p className="dim">Reading the journal…</p> : null}
      {history.status === 'ready' && plans.length === 0 ? <p className="empty">No plans applied yet.</p> : null}
      <ol className="ctl-history" aria-label="applied plans">
        {plans.map((p, k) => (
          <li key={p.planId} className={k === 0 ? 'is-last' : undefined}>
            <div className="ctl-hist-head">
              <time dateTime={p.at}>{time(p.at)}</time>
              <span className="mono dim small" title="plan id">{p.planId}</span>
              {k === 0 ? <span className="ctl-tag">last</span> : null}
              {!p.undoable ? <span className="ctl-irrev">no undo</span> : null}
            </div>
            <ul>
              {p.steps.map((s, j) => (
                <li key={j} title={s.command}>
                  {s.description}
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ol>
    </SidePanel>
  );
}
