import type { PlanStepView } from '../../../protocol/src/control.js';
import { CommandBlock } from './CommandBlock.js';

/** A previewed plan's steps: what each does and its exact command; the failed one marked. */
export function PlanSteps({ steps, failedStep }: { steps: PlanStepView[]; failedStep: number | null }) {
  return (
    <ol className="ctl-steps">
      {steps.map((s, k) => (
        <li key={k} className={failedStep === k + 1 ? 'is-failed' : undefined}>
          <div className="ctl-step-head">
            <span className="ctl-qnum">{k + 1}</span>
            <span>{s.description}</span>
            {s.undo === null ? <span className="ctl-irrev" title="This step cannot be undone">no undo</span> : null}
          </div>
          <CommandBlock command={s.command} label={`command ${k + 1}`} />
        </li>
      ))}
    </ol>
  );
}

/** Checks that did not stop the plan but deserve a look. */
export function PlanWarnings({ warnings }: { warnings: string[] | undefined }) {
  if (!warnings?.length) return null;
  return (
    <section className="insp-section" aria-label="warnings">
      <h3>Warnings</h3>
      <ul className="ctl-warnings">
        {warnings.map((w, k) => (
          <li key={k}>{w}</li>
        ))}
      </ul>
    </section>
  );
}
