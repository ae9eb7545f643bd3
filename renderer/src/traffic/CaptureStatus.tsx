import type { CaptureView } from './capture-session.js';
import { endSentence } from './end-reason.js';
import { humanCount } from '../panels/format.js';

/** Captured / dropped counts and what the capture is doing (or why it ended). */
export function CaptureStatus({ view }: { view: CaptureView }) {
  const s = view.stats;
  const ours = s ? s.summariesDropped + s.ringEvicted : 0;
  const sentence =
    view.status === 'idle'
      ? 'Set a filter if you like, then Start.'
      : view.stopping && view.status !== 'ended'
        ? 'Stopping…'
        : view.status === 'starting'
        ? 'Starting tcpdump…'
        : view.status === 'running'
          ? `Capturing${view.params.count ? ` until ${view.params.count} packets` : ''}${view.params.seconds ? `${view.params.count ? ' or' : ' for'} ${view.params.seconds} s` : ''}…`
          : view.error ?? endSentence(view.end, view.params, view.streamEnd);
  return (
    <div className={`cap-status st-${view.status}`}>
      <span className="cap-sentence" role="status" aria-label="capture status">
        {view.status === 'running' ? <span className="rec-dot" aria-hidden="true" /> : null}
        {sentence}
      </span>
      <span className="cap-counts" aria-label="capture counters">
        <span title="Packets tcpdump delivered">captured <b>{humanCount(s?.captured ?? 0)}</b></span>
        <span title="Dropped by the kernel (tcpdump's count)">kernel dropped <b className={s?.kernelDropped ? 'warn' : undefined}>{s?.kernelDropped ?? '—'}</b></span>
        <span title="Summaries not shown because the UI was slow, plus packets let go from the capture's memory">netloom dropped <b className={ours ? 'warn' : undefined}>{humanCount(ours)}</b></span>
        {view.trimmed ? <span title="Oldest rows let go from the list">{humanCount(view.trimmed)} old rows hidden</span> : null}
      </span>
    </div>
  );
}
