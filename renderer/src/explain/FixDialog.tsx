import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import type { FixPlan } from '../../../protocol/src/index.js';
import { PlanSteps, PlanWarnings } from '../control/PlanSteps.js';
import { createControlStore } from '../control/control-store.js';
import type { ControlStore } from '../control/control-store.js';
import { describeIntent } from '../control/describe-intent.js';
import { Dialog } from '../control/Dialog.js';
import { intentErrorPath } from '../control/error-path.js';
import { useControlStore } from '../control/use-control.js';
import { useExplainStore } from './use-explain.js';

/**
 * A finding's fix: the plan's exact commands first (plan.preview), then Apply (plan.apply).
 * It runs through a control store of its own, so whatever the person has queued in
 * Pending changes stays untouched; the applied plan joins the same history, so Ctrl+Z
 * and the History panel undo it like any other.
 */
export function FixDialog({ fix, onClose, onApplied }: { fix: FixPlan; onClose: () => void; onApplied: () => void }) {
  const explain = useExplainStore();
  const control = useControlStore();
  const [plan] = useState<ControlStore>(() => createControlStore(() => explain.client()));
  const state = useSyncExternalStore(plan.subscribe, plan.getState);
  // Once per dialog (StrictMode runs effects twice in development).
  const queued = useRef(false);
  useEffect(() => {
    if (queued.current) return;
    queued.current = true;
    for (const i of fix.intents) plan.queue(i, describeIntent(i));
  }, [plan, fix]);
  const { preview, apply } = state;
  const steps = preview.result?.steps ?? [];
  const running = apply.status === 'running';
  const err = apply.status === 'error' ? apply.error : preview.status === 'error' ? preview.error : undefined;
  const where = err ? intentErrorPath(err.path) : null;
  const failedStep = apply.status === 'error' ? (apply.error?.step ?? null) : null;
  const run = async () => {
    if (!(await plan.apply())) return;
    control.say('ok', `Applied the fix “${fix.summary}” (${steps.length} step${steps.length === 1 ? '' : 's'}). Ctrl+Z undoes it.`);
    void control.loadHistory();
    onApplied();
    onClose();
  };
  return (
    <Dialog title={`Fix: ${fix.summary}`} onClose={onClose} wide>
      <div className="ex-panel">
        <ul className="ctl-notes" aria-label="changes">
          {state.queue.map((q) => (
            <li key={q.key}>{q.label}</li>
          ))}
        </ul>
        <PlanWarnings warnings={preview.result?.warnings} />
        <section className="insp-section" aria-label="commands">
          <h3>
            Commands{steps.length ? <span className="count">{steps.length}</span> : null}
            {preview.status === 'loading' ? <span className="ctl-spin" aria-label="previewing" /> : null}
          </h3>
          <PlanSteps steps={steps} failedStep={failedStep} />
        </section>
        {err ? (
          <p className="ex-error" role="alert">
            {where ? `Change ${where.index + 1}${where.field ? ` (${where.field})` : ''}: ` : ''}
            {err.message}
          </p>
        ) : null}
        <div className="ex-row-end">
          <button type="button" className="ex-btn" onClick={onClose} disabled={running}>
            Cancel
          </button>
          <button type="button" className="primary" onClick={() => void run()} disabled={running || preview.status !== 'ready'} aria-busy={running}>
            {running ? 'Applying…' : `Apply ${steps.length} step${steps.length === 1 ? '' : 's'}`}
          </button>
        </div>
      </div>
    </Dialog>
  );
}
