import { HISTORY_POINTS } from './counters-store.js';
import type { RateHistory } from './counters-store.js';
import { humanRate } from './format-rate.js';

const W = 340;
const H = 92;
const PAD_TOP = 6;

/** SVG polyline points for one series, oldest → newest, scaled to `max`. */
export function seriesPoints(h: RateHistory, series: 'rx' | 'tx', max: number, now: number, spanMs: number): string {
  const n = Math.min(h.written, HISTORY_POINTS);
  const out: string[] = [];
  for (let i = n; i >= 1; i--) {
    const k = (h.written - i) % HISTORY_POINTS;
    const v = h[series][k] ?? Number.NaN;
    const t = h.at[k] ?? 0;
    if (Number.isNaN(v)) continue;
    const x = W - ((now - t) / spanMs) * W;
    if (x < 0) continue;
    const y = H - (v / max) * (H - PAD_TOP);
    out.push(`${x.toFixed(1)},${y.toFixed(1)}`);
  }
  return out.join(' ');
}

export function peak(h: RateHistory): number {
  const n = Math.min(h.written, HISTORY_POINTS);
  let m = 0;
  for (let i = 0; i < n; i++) {
    const rx = h.rx[i] ?? 0;
    const tx = h.tx[i] ?? 0;
    if (rx > m) m = rx;
    if (tx > m) m = tx;
  }
  return m;
}

/** A line's points closed down to the baseline, for a filled area (rx is filled so it shows under an equal tx). */
export function areaPoints(line: string): string {
  if (line === '') return '';
  const pts = line.split(' ');
  const x0 = (pts[0] ?? '0,0').split(',')[0];
  const x1 = (pts[pts.length - 1] ?? '0,0').split(',')[0];
  return `${x0},${H} ${line} ${x1},${H}`;
}

/** The time the chart covers: what there is, at least a minute, at most the whole history (5 min at 1 Hz). */
export function chartSpan(h: RateHistory | undefined, now: number): number {
  if (!h || h.written === 0) return 60_000;
  const oldest = h.at[h.written > HISTORY_POINTS ? h.written % HISTORY_POINTS : 0] ?? now;
  return Math.min(HISTORY_POINTS * 1000, Math.max(60_000, Math.ceil((now - oldest) / 60_000) * 60_000));
}

/** A "nice" top for the axis: 1, 2 or 5 × 10ⁿ above the peak. */
function niceMax(v: number): number {
  if (v <= 0) return 1000;
  const e = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 5, 10]) if (m * e >= v) return m * e;
  return 10 * e;
}

/** The last minutes of rx/tx bytes/s of one interface, hand-drawn in SVG (no chart package). */
export function RateChart({ history, now, name }: { history: RateHistory | undefined; now: number; name: string }) {
  const spanMs = chartSpan(history, now);
  const max = history ? niceMax(peak(history)) : 1000;
  const minutes = Math.round(spanMs / 60000);
  return (
    <figure className="rate-chart" aria-label={`traffic chart of ${name}`}>
      <svg viewBox={`0 0 ${W} ${H}`} preserveAspectRatio="none" role="img" aria-label={`receive and transmit bytes per second over the last ${minutes} minute${minutes === 1 ? '' : 's'}`}>
        {[0.25, 0.5, 0.75].map((f) => (
          <line key={f} x1={0} x2={W} y1={H - f * (H - PAD_TOP)} y2={H - f * (H - PAD_TOP)} className="grid" />
        ))}
        {history ? (
          <>
            <polygon className="area-rx" points={areaPoints(seriesPoints(history, 'rx', max, now, spanMs))} />
            <polyline className="series-rx" points={seriesPoints(history, 'rx', max, now, spanMs)} />
            <polyline className="series-tx" points={seriesPoints(history, 'tx', max, now, spanMs)} />
          </>
        ) : null}
      </svg>
      <figcaption>
        <span className="legend-rx">rx</span>
        <span className="legend-tx">tx</span>
        <span className="dim">
          top {humanRate(max)} · last {minutes} min
        </span>
      </figcaption>
    </figure>
  );
}
