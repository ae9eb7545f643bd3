import { useEffect } from 'react';
import type { Finding, HopDecider, Snapshot } from '../../../protocol/src/index.js';
import { FindingList } from './FindingList.js';
import { healthMarks } from './health-marks.js';
import { useExplain, useExplainStore } from './use-explain.js';
import { useRerunHealth } from './use-rerun-health.js';
import { SidePanel } from '../app/SidePanel.js';
import './explain.css';

interface Props {
  snapshot: Snapshot;
  /** Selects a namespace or interface on the canvas. */
  onGo: (id: string) => void;
  onDecider: (d: HopDecider) => void;
  onClose: () => void;
}

/** Every finding on the host at once, grouped by namespace (explain.health). */
export function HealthPanel({ snapshot, onGo, onDecider, onClose }: Props) {
  const store = useExplainStore();
  const health = useExplain((s) => s.health);
  useEffect(() => {
    void store.loadHealth();
  }, [store]);
  useRerunHealth(snapshot);
  // The findings' interfaces on the canvas, while this view is open.
  useEffect(() => {
    if (health.result) store.marks.set(healthMarks(health.result, snapshot));
  }, [health.result, snapshot, store]);
  useEffect(() => () => store.marks.clear(), [store]);
  const goTo = (f: Finding) => {
    const id = f.iface ?? f.ns;
    if (id) onGo(id);
  };
  const groups = health.result?.groups.filter((g) => g.findings.length > 0) ?? [];
  const total = groups.reduce((n, g) => n + g.findings.length, 0);
  return (
    <SidePanel className="health-panel ex-panel" label="health" onClose={onClose}>
      <header className="insp-head">
        <h2>Health</h2>
        {health.result ? <span className="count">{total}</span> : null}
        <button type="button" className="ex-btn" onClick={() => void store.loadHealth()} disabled={health.status === 'loading'} aria-busy={health.status === 'loading'}>
          {health.status === 'loading' ? 'Checking…' : 'Check again'}
        </button>
      </header>
      {health.status === 'error' && health.error ? (
        <p className="ex-error" role="alert">
          {health.error.code === 'unavailable' ? `Health is not available: ${health.error.message}.` : health.error.message}
        </p>
      ) : null}
      {health.status === 'loading' && !health.result ? <p className="dim">Checking every namespace…</p> : null}
      {health.result && groups.length === 0 ? <p className="empty">No problems found on this host.</p> : null}
      {groups.map((g) => (
        <section key={g.ns} className="ex-group" aria-label={`findings in ${g.label}`}>
          <h3>
            <button type="button" className="node-link" onClick={() => onGo(g.ns)} title="Select it on the canvas">
              {g.label}
            </button>
            <span className="count">{g.findings.length}</span>
          </h3>
          <FindingList findings={g.findings} snapshot={snapshot} onDecider={onDecider} onGo={goTo} onApplied={() => void store.loadHealth()} />
        </section>
      ))}
      {health.result ? <p className="dim small">Checked at {new Date(health.result.takenAt).toLocaleTimeString()}.</p> : null}
    </SidePanel>
  );
}
