import type { Interface } from '../../../protocol/src/index.js';
import { humanCount } from '../panels/format.js';
import { humanPacketRate, humanRate } from './format-rate.js';
import { RateChart } from './RateChart.js';
import { useCounterEntry, useCountersTick, useTraffic } from './traffic-context.js';

/** The inspector's live traffic: chart, rates, errors and drops, pause, and Capture. */
export function LiveCounters({ iface, nsName }: { iface: Interface; nsName: string }) {
  const traffic = useTraffic();
  const tick = useCountersTick();
  const e = useCounterEntry(iface.id);
  if (!traffic) return null;
  const r = e?.rates;
  const t = e?.totals;
  const paused = tick.paused;
  return (
    <section className="insp-section live-traffic" aria-label="Live traffic">
      <h3>
        Live traffic
        <span className={`live-dot live-${tick.status}`} aria-hidden="true" />
        <span className="live-status">{tick.status === 'live' ? 'live' : tick.status === 'paused' ? 'paused' : 'waiting'}</span>
        <button type="button" className="mini-btn" onClick={() => (paused ? traffic.feed.resume() : traffic.feed.pause())} aria-label={paused ? 'resume counters' : 'pause counters'}>
          {paused ? 'Resume' : 'Pause'}
        </button>
        <button type="button" className="mini-btn primary" onClick={() => traffic.captures.open({ id: iface.id, ns: iface.ns, name: iface.name, nsName })} aria-label={`capture packets on ${iface.name}`}>
          Capture…
        </button>
      </h3>
      <RateChart history={traffic.counters.history(iface.id)} now={tick.at || Date.now()} name={iface.name} />
      <table className="counters live">
        <thead>
          <tr>
            <th></th>
            <th>bytes/s</th>
            <th>packets/s</th>
            <th>errors</th>
            <th>dropped</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <th className="legend-rx">rx</th>
            <td>{r ? humanRate(r.rxBytes) : '—'}</td>
            <td>{r ? humanPacketRate(r.rxPackets) : '—'}</td>
            <td className={t?.rxErrors ? 'bad' : undefined}>{t ? humanCount(t.rxErrors) : '—'}</td>
            <td className={t?.rxDropped ? 'warn' : undefined}>{t ? humanCount(t.rxDropped) : '—'}</td>
          </tr>
          <tr>
            <th className="legend-tx">tx</th>
            <td>{r ? humanRate(r.txBytes) : '—'}</td>
            <td>{r ? humanPacketRate(r.txPackets) : '—'}</td>
            <td className={t?.txErrors ? 'bad' : undefined}>{t ? humanCount(t.txErrors) : '—'}</td>
            <td className={t?.txDropped ? 'warn' : undefined}>{t ? humanCount(t.txDropped) : '—'}</td>
          </tr>
        </tbody>
      </table>
    </section>
  );
}
