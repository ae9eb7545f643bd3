import { useState } from 'react';
import type { Finding, FixPlan, HopDecider, Snapshot } from '../../../protocol/src/index.js';
import { deciderText } from './decider-target.js';
import { FixDialog } from './FixDialog.js';

interface Props {
  findings: Finding[];
  snapshot: Snapshot | null;
  onDecider: (d: HopDecider) => void;
  /** Selects what the finding concerns on the canvas (health view). */
  onGo?: (f: Finding) => void;
  onApplied: () => void;
}

const SEVERITY_WORD: Record<Finding['severity'], string> = { error: 'problem', warning: 'warning', info: 'note' };

/** Findings in plain words, each with its fix (commands first) or what a person can do by hand. */
export function FindingList({ findings, snapshot, onDecider, onGo, onApplied }: Props) {
  const [fixing, setFixing] = useState<FixPlan | null>(null);
  return (
    <>
      <ul className="ex-findings" aria-label="findings">
        {findings.map((f, k) => (
          <li key={`${f.code}-${k}`} className={`ex-finding sev-${f.severity}`} aria-label={`${SEVERITY_WORD[f.severity]}: ${f.message}`}>
            <span className="ex-stage">
              {SEVERITY_WORD[f.severity]} · {f.code}
            </span>
            <span>{f.message}</span>
            {f.decidedBy ? (
              <button type="button" className="node-link ex-decider" onClick={() => onDecider(f.decidedBy as HopDecider)} title="Show it">
                {deciderText(snapshot, f.decidedBy)}
              </button>
            ) : null}
            {f.fix ? <span className="dim small">Fix: {f.fix.summary}</span> : null}
            {!f.fix && f.manual ? <span className="ex-manual">By hand: {f.manual}</span> : null}
            <div className="ex-row-end">
              {onGo && (f.iface || f.ns) ? (
                <button type="button" className="ex-btn" onClick={() => onGo(f)}>
                  Show on canvas
                </button>
              ) : null}
              {f.fix ? (
                <button type="button" className="primary" onClick={() => setFixing(f.fix)} aria-label={`Fix… ${f.fix.summary}`}>
                  Fix…
                </button>
              ) : null}
            </div>
          </li>
        ))}
      </ul>
      {fixing ? <FixDialog fix={fixing} onClose={() => setFixing(null)} onApplied={onApplied} /> : null}
    </>
  );
}
