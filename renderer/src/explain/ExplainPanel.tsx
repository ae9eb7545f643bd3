import { useEffect, useRef, useState } from 'react';
import type { Hop, HopDecider, Snapshot } from '../../../protocol/src/index.js';
import { defaultForm, formFieldOf, toParams } from './endpoint-form.js';
import type { ExplainForm, FormField } from './endpoint-form.js';
import { ExplainAnswer } from './ExplainAnswer.js';
import { ExplainFormView } from './ExplainFormView.js';
import { pathMarks } from './path-marks.js';
import { realDecision } from './real-decision.js';
import { formFromSelection } from './selection-form.js';
import { useExplain, useExplainStore } from './use-explain.js';
import { useRerunOnChange } from './use-rerun.js';
import { SidePanel } from '../app/SidePanel.js';
import './explain.css';

interface Props {
  snapshot: Snapshot;
  /** Selected node ids in the order picked (for "From selection"). */
  selection: string[];
  onDecider: (d: HopDecider) => void;
  /** Selects a node on the canvas (a hop's interface or namespace). */
  onGo: (id: string) => void;
  onClose: () => void;
  /** A new answer is drawn: the ids it marks, so the view can bring them on screen. */
  onPath?: (nodeIds: string[]) => void;
}

/**
 * Explain: pick a source and a destination, see the verdict, the request and response
 * paths hop by hop (also drawn on the canvas while this panel is open) and the findings
 * with their fixes.
 */
export function ExplainPanel({ snapshot, selection, onDecider, onGo, onClose, onPath }: Props) {
  const store = useExplainStore();
  const stored = useExplain((s) => s.form);
  const path = useExplain((s) => s.path);
  const probe = useExplain((s) => s.probe);
  const form = stored ?? defaultForm(snapshot);
  const [fieldError, setFieldError] = useState<{ field: FormField; message: string } | null>(null);

  // The path on the canvas follows the answer and the topology; it goes when the panel does. A traced
  // probe of this question adds where it was decided for real.
  useEffect(() => {
    const real = probe.status === 'ready' && probe.params === path.params ? realDecision(probe.result) : null;
    if (path.result) store.marks.set(pathMarks(path.result, snapshot, real));
    else store.marks.clear();
  }, [path.result, path.params, probe, snapshot, store]);
  // A new answer (not a redraw for a changed topology) brings its path into view.
  const latest = useRef({ snapshot, onPath });
  latest.current = { snapshot, onPath };
  useEffect(() => {
    const { snapshot: s, onPath: go } = latest.current;
    if (path.result && go) go([...pathMarks(path.result, s).keys()]);
  }, [path.result]);
  // Only the drawing goes with an unmount: React's StrictMode unmounts and mounts again on
  // purpose, and the answer must survive that. The answer itself goes when the panel is closed.
  useEffect(() => () => store.marks.clear(), [store]);
  useRerunOnChange(snapshot);

  const ask = (f: ExplainForm) => {
    const check = toParams(f);
    if (!check.ok) return setFieldError({ field: check.field, message: check.message });
    setFieldError(null);
    void store.explain(check.params);
  };
  const fromSelection = formFromSelection(snapshot, selection, form);
  // Whether the form still holds the question the answer is for (the same object when it does).
  const current = toParams(form);
  const asked = current.ok && path.params && JSON.stringify(current.params) === JSON.stringify(path.params) ? path.params : null;
  // The helper's `invalid` names a field: show it there; anything else above the answer.
  const helperField = path.status === 'error' ? formFieldOf(path.error?.path) : null;
  const errors: Partial<Record<FormField, string>> = {};
  if (fieldError) errors[fieldError.field] = fieldError.message;
  else if (helperField && path.error) errors[helperField] = path.error.message;

  return (
    <SidePanel className="explain-panel ex-panel" label="explain" onClose={onClose}>
      <header className="insp-head">
        <h2>Explain</h2>
        <span className="dim small">why a packet gets through or not</span>
      </header>
      <ExplainFormView
        snapshot={snapshot}
        form={form}
        onChange={(f) => store.setForm(f)}
        onSubmit={() => ask(form)}
        onFromSelection={
          fromSelection
            ? () => {
                store.setForm(fromSelection);
                ask(fromSelection);
              }
            : null
        }
        errors={errors}
        busy={path.status === 'loading'}
      />
      {path.status === 'error' && path.error && !helperField ? (
        <p className="ex-error" role="alert">
          {path.error.code === 'unavailable' ? `Explain is not available: ${path.error.message}.` : path.error.message}
        </p>
      ) : null}
      {path.result && asked !== path.params ? (
        <p className="ex-stale" role="note" aria-label="answer is for an earlier question">
          This answer is for the question asked before — press Explain to ask the one in the form.
        </p>
      ) : null}
      {path.result ? <ExplainAnswer result={path.result} snapshot={snapshot} onDecider={onDecider} onGoHop={(h) => onGo(hopNode(snapshot, h))} onGoFinding={(f) => onGo(f.iface ?? f.ns ?? '')} onApplied={() => void store.rerun()} /> : null}
    </SidePanel>
  );
}

/** Where a hop shows on the canvas: the interface it arrives by, else the one it leaves by, else its namespace. */
function hopNode(s: Snapshot, h: Hop): string {
  const known = (id: string | null) => id !== null && s.interfaces.some((i) => i.id === id);
  return known(h.inIface) ? (h.inIface as string) : known(h.outIface) ? (h.outIface as string) : h.ns;
}
