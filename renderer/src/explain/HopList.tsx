import type { Hop, HopDecider, Snapshot } from '../../../protocol/src/index.js';
import { deciderText } from './decider-target.js';

const VERDICT_WORD: Record<Hop['verdict'], string> = { pass: 'passes', drop: 'dropped', unknown: 'not sure' };

interface Props {
  title: string;
  hops: Hop[];
  role: 'request' | 'response';
  reaches: boolean;
  snapshot: Snapshot | null;
  onDecider: (d: HopDecider) => void;
  /** Shows where a hop happens on the canvas (its interface, else its namespace). */
  onGoHop?: (h: Hop) => void;
  /** Said instead of an empty list ("the request never arrives"). */
  empty: string;
}

/** A numbered hop list (the same numbers as the badges on the canvas), each with what decides it. */
export function HopList({ title, hops, role, reaches, snapshot, onDecider, onGoHop, empty }: Props) {
  const listClass = `ex-hops ${role === 'response' ? 'ex-resp-list' : reaches ? 'ex-reaches-list' : 'ex-req-list'}`;
  return (
    <section className="insp-section" aria-label={title.toLowerCase()}>
      <h3>
        {title}
        <span className="count">{hops.length}</span>
      </h3>
      {hops.length === 0 ? <p className="empty">{empty}</p> : null}
      <ol className={listClass}>
        {hops.map((h, k) => {
          const n = role === 'request' ? String(k + 1) : `↩${k + 1}`;
          return (
            <li key={k} className={`ex-hop v-${h.verdict}`} aria-label={`hop ${n}: ${h.text} (${VERDICT_WORD[h.verdict]})`}>
              {onGoHop ? (
                <button type="button" className="ex-hopnum" onClick={() => onGoHop(h)} aria-label={`show hop ${n} on the canvas`} title="Show it on the canvas">
                  {n}
                </button>
              ) : (
                <span className="ex-hopnum" aria-hidden="true">
                  {n}
                </span>
              )}
              <span className="ex-stage">
                {h.stage} · {VERDICT_WORD[h.verdict]}
              </span>
              <span className="ex-hoptext">{h.text}</span>
              <span className="ex-addrs">
                {h.src} → {h.dst}
                {h.decidedBy ? (
                  <>
                    {' · '}
                    <button type="button" className="node-link ex-decider" onClick={() => onDecider(h.decidedBy as HopDecider)} title="Show it">
                      {deciderText(snapshot, h.decidedBy)}
                    </button>
                  </>
                ) : null}
              </span>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
