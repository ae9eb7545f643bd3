import { useContext } from 'react';
import type { Route, Snapshot } from '../../../protocol/src/index.js';
import { RouteFocusContext } from './route-focus.js';

function routeText(r: Route, s: Snapshot): string {
  const dev = r.dev ? (s.interfaces.find((i) => i.id === r.dev)?.name ?? r.dev) : null;
  return [r.dst, r.gateway ? `via ${r.gateway}` : null, dev ? `dev ${dev}` : null, r.src ? `src ${r.src}` : null, r.table !== 'main' ? `table ${r.table}` : null, r.metric !== null ? `metric ${r.metric}` : null]
    .filter(Boolean)
    .join(' ');
}

/**
 * Routes as `ip route` prints them. The kernel's `local` table (a route per own address)
 * is noise next to the real routes: counted, not listed.
 */
export function RouteList({ routes: all, snapshot }: { routes: Route[]; snapshot: Snapshot }) {
  const routes = all.filter((r) => r.table !== 'local');
  const hidden = all.length - routes.length;
  const focus = useContext(RouteFocusContext);
  const focused = (r: Route) => focus !== null && r.ns === focus.ns && r.table === focus.table && r.dst === focus.dst;
  return (
    <>
      {routes.length === 0 ? <p className="empty">none</p> : null}
      <ul className="mono-list">
        {routes.map((r, k) => (
          <li key={k} className={focused(r) ? 'is-focused' : undefined} aria-current={focused(r) ? 'true' : undefined} ref={focused(r) ? (el) => el?.scrollIntoView?.({ block: 'center' }) : undefined}>
            {routeText(r, snapshot)}
          </li>
        ))}
      </ul>
      {hidden > 0 ? <p className="dim small">{hidden} of the local table not shown</p> : null}
    </>
  );
}
