import type { ExplainResult, HopDecider, ProbeResult, Snapshot } from '../../../protocol/src/index.js';
import { hostSuffix } from '../graph/build-hosts.js';
import { namespaceName } from '../graph/labels.js';
import { deciderText } from './decider-target.js';

interface Props {
  probe: ProbeResult;
  prediction: ExplainResult;
  snapshot: Snapshot | null;
  /** Opens the rules view on a rule or chain (decider-target.ts). */
  onDecider: (d: HopDecider) => void;
}

/** The hop the prediction says drops the packet: its decider, to set beside the real one. */
function predictedDrop(r: ExplainResult): HopDecider | null {
  return [...r.request, ...r.response].find((h) => h.verdict === 'drop')?.decidedBy ?? null;
}

/** A decider without a backend is iptables as iptables-save showed it (older snapshots): it matches either iptables backend. */
const sameSource = (a: HopDecider & { backend?: string | undefined }, b: HopDecider & { backend?: string | undefined }): boolean => a.backend === undefined || b.backend === undefined || a.backend === b.backend;

const sameRule = (a: HopDecider, b: HopDecider): boolean =>
  a.ns === b.ns &&
  ((a.kind === 'rule' && b.kind === 'rule' && a.table === b.table && a.chain === b.chain && a.spec === b.spec && sameSource(a, b)) ||
    (a.kind === 'policy' && b.kind === 'policy' && a.table === b.table && a.chain === b.chain && sameSource(a, b)));

/**
 * "Check for real" with tracing (issue 12): what the kernel's nftables trace says decided — beside
 * what the prediction said — each traced decision per namespace and hook, and what tracing cannot
 * see. Every rule links to the rules view.
 */
export function ProbeTrace({ probe, prediction, snapshot, onDecider }: Props) {
  const trace = probe.trace ?? [];
  const predicted = predictedDrop(prediction);
  const real = probe.decidedBy ?? null;
  const nsLabel = (id: string) => {
    const n = snapshot?.namespaces.find((x) => x.id === id);
    return n ? namespaceName(n) + hostSuffix(n.id) : id;
  };
  const link = (d: HopDecider, label: string) => (
    <button type="button" className="node-link ex-decider" onClick={() => onDecider(d)} aria-label={`${label}: ${deciderText(snapshot, d)}`} title="Show it in the rules view">
      {deciderText(snapshot, d)}
    </button>
  );
  return (
    <section className="ex-trace" aria-label="traced by nftables">
      <p className="ex-real" role="note" aria-label="decided for real">
        {real ? (
          <>
            Decided for real by {link(real, 'decided for real by')}
            {predicted && sameRule(predicted, real) ? <span className="ex-agree"> — the rule the prediction names.</span> : null}
          </>
        ) : probe.reached ? (
          <>Let through for real: every traced chain accepted it (below).</>
        ) : (
          <>No traced rule dropped it{probe.traceNotes?.length ? ' — see the notes below.' : '.'}</>
        )}
        {predicted && (!real || !sameRule(predicted, real)) ? (
          <>
            <br />
            <span className="dim">Predicted: </span>
            {link(predicted, 'predicted')}
          </>
        ) : null}
      </p>
      <details open={!probe.reached}>
        <summary>
          Traced decisions <span className="count">{trace.length}</span>
        </summary>
        {trace.length === 0 ? <p className="empty">nftables decided nothing for these packets.</p> : null}
        <ol className="ex-trace-list" aria-label="traced decisions">
          {trace.map((e, k) => (
            <li key={k} className={`v-${e.verdict}`}>
              <span className="dim">
                {nsLabel(e.ns)} · {e.hook} · {e.direction}
                {e.packets > 1 ? ` · ${e.packets} packets` : ''}
              </span>{' '}
              <span className="ex-hoptext">{e.text}</span>
              {e.decidedBy ? (
                <>
                  {' '}
                  <button type="button" className="node-link ex-decider" onClick={() => onDecider(e.decidedBy as HopDecider)} aria-label={`${e.direction} ${e.hook} in ${nsLabel(e.ns)}: ${deciderText(snapshot, e.decidedBy)}`} title="Show it in the rules view">
                    show rule
                  </button>
                </>
              ) : null}
            </li>
          ))}
        </ol>
      </details>
      {probe.traceNotes?.length ? (
        <ul className="ex-trace-notes" aria-label="what tracing cannot see">
          {probe.traceNotes.map((n, k) => (
            <li key={k}>{n}</li>
          ))}
        </ul>
      ) : null}
      {probe.traced ? <span className="dim small">Traced in {probe.traced.namespaces.map(nsLabel).join(', ')}; tracing added {Math.round(probe.traced.extraMs)} ms.</span> : null}
    </section>
  );
}
