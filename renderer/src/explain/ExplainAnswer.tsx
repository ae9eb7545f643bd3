import type { ExplainResult, Finding, Hop, HopDecider, Snapshot } from '../../../protocol/src/index.js';
import { FindingList } from './FindingList.js';
import { HopList } from './HopList.js';
import { ProbeCheck } from './ProbeCheck.js';

interface Props {
  result: ExplainResult;
  snapshot: Snapshot | null;
  onDecider: (d: HopDecider) => void;
  onGoHop?: (h: Hop) => void;
  /** Selects what a finding concerns on the canvas. */
  onGoFinding?: (f: Finding) => void;
  onApplied: () => void;
}

const VERDICT_WORD: Record<ExplainResult['verdict'], string> = { reaches: 'reaches', blocked: 'blocked', unknown: 'unknown' };

/** The answer: verdict and summary, the real check, both paths and the findings. */
export function ExplainAnswer({ result, snapshot, onDecider, onGoHop, onGoFinding, onApplied }: Props) {
  const what = `${result.proto}${result.port !== null ? ` port ${result.port}` : ''}`;
  return (
    <>
      <div className={`ex-verdict v-${result.verdict}`} role="status" aria-label="verdict">
        <span className="ex-chip">{VERDICT_WORD[result.verdict]}</span>
        <span>
          <strong>
            {result.src.label} → {result.dst.label}
          </strong>{' '}
          <span className="dim">({what})</span>
          <br />
          {result.summary}
        </span>
      </div>
      <div className="ex-legend" aria-hidden="true">
        <span>
          <i style={{ background: result.verdict === 'reaches' ? 'var(--ex-ok)' : 'var(--ex-req)' }} />
          request
        </span>
        <span>
          <i style={{ background: 'var(--ex-resp)' }} />
          response
        </span>
        <span>
          <i style={{ background: 'var(--ex-drop)' }} />
          dropped
        </span>
      </div>
      <ProbeCheck result={result} snapshot={snapshot} onDecider={onDecider} />
      {result.findings.length ? (
        <section className="insp-section" aria-label="findings section">
          <h3>
            Findings<span className="count">{result.findings.length}</span>
          </h3>
          <FindingList findings={result.findings} snapshot={snapshot} onDecider={onDecider} {...(onGoFinding ? { onGo: onGoFinding } : {})} onApplied={onApplied} />
        </section>
      ) : null}
      <HopList title="Request path" role="request" hops={result.request} reaches={result.verdict === 'reaches'} snapshot={snapshot} onDecider={onDecider} {...(onGoHop ? { onGoHop } : {})} empty="No hops: the packet is not sent." />
      <HopList title="Response path" role="response" hops={result.response} reaches={result.verdict === 'reaches'} snapshot={snapshot} onDecider={onDecider} {...(onGoHop ? { onGoHop } : {})} empty={noResponse(result)} />
    </>
  );
}

/** Why there is no response path: the request never arrived, or it arrived and was turned away. */
export function noResponse(r: ExplainResult): string {
  const last = r.request[r.request.length - 1];
  if (last?.stage === 'deliver' && last.verdict === 'drop') {
    return r.proto === 'tcp' ? 'No reply path: the request arrived and was refused — the kernel answers with a reset (RST), so the connection fails at once.' : 'No reply path: the request arrived and was refused (ICMP port unreachable).';
  }
  return 'No response: the request never arrives.';
}
