import { useEffect, useState } from 'react';
import type { ExplainResult, HopDecider, Snapshot } from '../../../protocol/src/index.js';
import { CommandBlock } from '../control/CommandBlock.js';
import { probeLeavesHost } from './is-outside.js';
import { ProbeTrace } from './ProbeTrace.js';
import { useExplain, useExplainStore } from './use-explain.js';

/** A probe is bounded by the helper (a few packets, a few seconds); the bar fills over this long. */
const EXPECTED_MS = 5000;

interface Props {
  result: ExplainResult;
  snapshot: Snapshot | null;
  /** Opens the rules view on a rule the trace names. */
  onDecider: (d: HopDecider) => void;
}

/**
 * "Check for real": a bounded probe from the source namespace, shown next to the prediction;
 * "trace it" has nftables name the rules that really decide (ProbeTrace).
 */
export function ProbeCheck({ result, snapshot, onDecider }: Props) {
  const store = useExplainStore();
  const probe = useExplain((s) => s.probe);
  const params = useExplain((s) => s.path.params);
  const [confirming, setConfirming] = useState(false);
  const [trace, setTrace] = useState(false);
  const elapsed = useElapsed(probe.status === 'running' ? (probe.startedAt ?? null) : null);
  if (!params) return null;
  if (params.src.kind !== 'ns')
    return (
      <section className="ex-probe" aria-label="check for real">
        <span className="dim">A real probe starts inside a namespace of this host: an outside source cannot be checked from here.</span>
      </section>
    );
  const outside = probeLeavesHost(params.dst, snapshot);
  const start = () => (outside ? setConfirming(true) : void store.probe({ trace }));
  const predicted = result.verdict === 'unknown' ? null : result.verdict === 'reaches';
  return (
    <section className="ex-probe" aria-label="check for real">
      {probe.status === 'running' ? (
        <>
          <div className="ex-row">
            <span role="status" aria-label="probe progress">
              {trace ? 'Probing and tracing…' : 'Probing…'} {(elapsed / 1000).toFixed(1)} s
            </span>
            <button type="button" className="ex-btn" onClick={() => store.cancelProbe()}>
              Cancel probe
            </button>
          </div>
          <div className="ex-progress" role="progressbar" aria-label="probe running" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.min(99, Math.round((elapsed / EXPECTED_MS) * 100))}>
            <span style={{ width: `${Math.min(99, (elapsed / EXPECTED_MS) * 100)}%` }} />
          </div>
        </>
      ) : confirming ? (
        <div className="ex-confirm" role="alertdialog" aria-label="probe an outside address">
          <span>
            {params.dst.kind === 'address' ? params.dst.ip : 'This destination'} is not an address of this host’s namespaces. A probe sends a few real packets to it. Go ahead?
          </span>
          <div className="ex-row-end">
            <button type="button" className="ex-btn" onClick={() => setConfirming(false)}>
              Don’t probe
            </button>
            <button
              type="button"
              className="primary"
              onClick={() => {
                setConfirming(false);
                void store.probe({ allowOutside: true, trace });
              }}
            >
              Probe it
            </button>
          </div>
        </div>
      ) : (
        <div className="ex-row">
          <button type="button" className="ex-btn" onClick={start} title="Send a few real packets (ping or a TCP/UDP connect) from the source and see whether they arrive">
            Check for real
          </button>
          <label className="ex-trace-opt" title="Trace the probe with nftables in every namespace on the path (a temporary table, removed after): names the rule that really decides at each hook">
            <input type="checkbox" checked={trace} onChange={(e) => setTrace(e.target.checked)} />
            trace it
          </label>
          {probe.status === 'cancelled' ? <span className="dim">Probe cancelled.</span> : null}
        </div>
      )}
      {probe.status === 'error' && probe.error ? (
        <p className="ex-error" role="alert">
          Probe failed: {probe.error.message}
        </p>
      ) : null}
      {probe.status === 'ready' && probe.result ? (
        <div role="status" aria-label="probe result">
          <p>
            <span className={`ex-chip ${probe.result.reached ? 'v-reaches' : 'v-blocked'}`}>{probe.result.reached ? 'reached' : 'did not reach'}</span> {probe.result.detail}{' '}
            <span className="dim">({Math.round(probe.result.ms)} ms)</span>
          </p>
          <p>
            {predicted === null ? (
              <span className="dim">No prediction to compare with.</span>
            ) : predicted === probe.result.reached ? (
              <span className="ex-agree">Agrees with the prediction.</span>
            ) : (
              <span className="ex-disagree">Disagrees with the prediction — the model missed something here.</span>
            )}
          </p>
          {probe.result.trace ? <ProbeTrace probe={probe.result} prediction={result} snapshot={snapshot} onDecider={onDecider} /> : null}
          <CommandBlock command={probe.result.command} label="probe command" />
        </div>
      ) : null}
    </section>
  );
}

/** Milliseconds since `since`, ticking 5 times a second while set. */
function useElapsed(since: number | null): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (since === null) return;
    setNow(Date.now());
    const t = setInterval(() => setNow(Date.now()), 200);
    return () => clearInterval(t);
  }, [since]);
  return since === null ? 0 : Math.max(0, now - since);
}
