import type { ControlError } from './control-client.js';
import { PlanSteps, PlanWarnings } from './PlanSteps.js';
import { intentErrorPath } from './error-path.js';
import { useControl, useControlStore } from './use-control.js';
import { SidePanel } from '../app/SidePanel.js';
import './control.css';

/** The queued intents, the plan as its exact commands, then Apply or Discard. */
export function PendingPanel({ onClose }: { onClose: () => void }) {
  const store = useControlStore();
  const queue = useControl((s) => s.queue);
  const preview = useControl((s) => s.preview);
  const apply = useControl((s) => s.apply);
  const running = apply.status === 'running';
  // A field error names an intent by index: show it on that item.
  const fieldError = (e: ControlError | undefined) => (e ? intentErrorPath(e.path) : null);
  const errorOf = (k: number): string | null => {
    for (const e of [apply.error, preview.error]) {
      const p = fieldError(e);
      if (e && p && p.index === k) return p.field ? `${p.field}: ${e.message}` : e.message;
    }
    return null;
  };
  const steps = preview.result?.steps ?? [];
  const failedStep = apply.status === 'error' ? (apply.error?.step ?? null) : null;
  return (
    <SidePanel className="ctl-panel" label="pending changes" onClose={onClose}>
      <header className="insp-head">
        <h2>Pending changes</h2>
        <span className="count">{queue.length}</span>
      </header>
      {queue.length === 0 ? (
        <p className="empty">Nothing queued. Use “New” in the toolbar, the inspector’s actions or the port-mapping editor; each change shows up here as the exact commands before anything runs.</p>
      ) : (
        <>
          <ol className="ctl-queue" aria-label="queued changes">
            {queue.map((q, k) => {
              const err = errorOf(k);
              return (
                <li key={q.key} className={[err ? 'has-error' : '', q.group !== undefined && q.group !== q.key ? 'is-sub' : ''].filter(Boolean).join(' ') || undefined}>
                  <span className="ctl-qnum">{k + 1}</span>
                  <span className="ctl-qlabel">{q.label}</span>
                  <button type="button" className="ctl-x" onClick={() => store.remove(q.key)} disabled={running} aria-label={`remove “${q.label}” from the plan`} title="Remove from the plan">
                    ×
                  </button>
                  {err ? (
                    <span className="ctl-field-error" role="alert">
                      {err}
                    </span>
                  ) : null}
                </li>
              );
            })}
          </ol>
          <PlanWarnings warnings={preview.result?.warnings} />
          {preview.result?.notes.length ? (
            <section className="insp-section" aria-label="notes">
              <h3>Notes</h3>
              <ul className="ctl-notes">
                {preview.result.notes.map((w, k) => (
                  <li key={k}>{w}</li>
                ))}
              </ul>
            </section>
          ) : null}
          <section className="insp-section" aria-label="commands">
            <h3>
              Commands{steps.length ? <span className="count">{steps.length}</span> : null}
              {preview.status === 'loading' ? <span className="ctl-spin" aria-label="previewing" /> : null}
            </h3>
            {preview.status === 'error' && preview.error && !fieldError(preview.error) ? (
              <p className="ctl-error" role="alert">
                {preview.error.message}
              </p>
            ) : null}
            {preview.status === 'error' && fieldError(preview.error) ? <p className="dim">Fix the marked change above to see the commands.</p> : null}
            <PlanSteps steps={steps} failedStep={failedStep} />
            {steps.length > 1 ? (
              <div className="ctl-row-end">
                <CopyAll text={steps.map((s) => `# ${s.description}\n${s.command}`).join('\n\n')} />
              </div>
            ) : null}
          </section>
          <footer className="ctl-footer">
            {apply.status === 'error' && apply.error ? (
              <p className="ctl-error" role="alert">
                {apply.error.message} <span className="dim">Your changes are still queued.</span>
              </p>
            ) : null}
            <div className="ctl-buttons">
              <button type="button" onClick={() => store.discard()} disabled={running}>
                Discard
              </button>
              <button type="button" className="primary" onClick={() => void store.apply()} disabled={running || preview.status !== 'ready'} aria-busy={running}>
                {running ? 'Applying…' : `Apply ${steps.length} step${steps.length === 1 ? '' : 's'}`}
              </button>
            </div>
          </footer>
        </>
      )}
    </SidePanel>
  );
}

function CopyAll({ text }: { text: string }) {
  return (
    <button type="button" className="ctl-link" onClick={() => void navigator.clipboard?.writeText(text).catch(() => {})}>
      Copy all as a script
    </button>
  );
}
