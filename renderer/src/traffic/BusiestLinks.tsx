import { useMemo, useState } from 'react';
import type { Snapshot } from '../../../protocol/src/index.js';
import { humanRate } from './format-rate.js';
import { busiestLinks, trafficLinks } from './links.js';
import { useCountersTick, useTraffic } from './traffic-context.js';

/**
 * A small card over the canvas: the counters' state, Pause/Resume, and — opened — the ten
 * busiest links (click one to select and centre it).
 */
export function BusiestLinks({ snapshot, onGo }: { snapshot: Snapshot; onGo: (id: string) => void }) {
  const traffic = useTraffic();
  const tick = useCountersTick();
  // Closed at first: one line in the canvas' top-left corner, which the view's Fit keeps clear.
  const [open, setOpen] = useState(false);
  const links = useMemo(() => trafficLinks(snapshot), [snapshot]);
  if (!traffic) return null;
  const top = open ? busiestLinks(links, traffic.counters.get) : [];
  const max = top[0]?.rate ?? 1;
  return (
    <section className={`busiest${open ? '' : ' is-closed'}`} aria-label="busiest links">
      <header>
        <button type="button" className="busiest-toggle" aria-expanded={open} onClick={() => setOpen((o) => !o)} aria-label={open ? 'hide busiest links' : 'show busiest links'}>
          <span className={`live-dot live-${tick.status}`} aria-hidden="true" />
          Busiest links
        </button>
        <button type="button" className="mini-btn" onClick={() => (tick.paused ? traffic.feed.resume() : traffic.feed.pause())} aria-label={tick.paused ? 'resume counters' : 'pause counters'} title={tick.paused ? 'Resume live counters' : 'Pause live counters'}>
          {tick.paused ? '▶ Resume' : '❚❚ Pause'}
        </button>
      </header>
      {open ? (
        top.length ? (
          <ol>
            {top.map(({ link, rate }) => (
              <li key={link.counterId}>
                <button type="button" onClick={() => onGo(link.counterId)} title={link.label}>
                  <span className="busiest-label">{link.label}</span>
                  <span className="busiest-rate">{humanRate(rate)}</span>
                  <span className="busiest-bar" style={{ width: `${Math.max(3, (rate / max) * 100)}%` }} aria-hidden="true" />
                </button>
              </li>
            ))}
          </ol>
        ) : (
          <p className="empty">{tick.paused ? 'Counters paused.' : tick.status === 'live' ? 'All links idle.' : 'Waiting for counters…'}</p>
        )
      ) : null}
    </section>
  );
}
