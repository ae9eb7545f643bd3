import type { Route, Snapshot } from '../../../protocol/src/index.js';

function routeText(r: Route, s: Snapshot): string {
  const dev = r.dev ? (s.interfaces.find((i) => i.id === r.dev)?.name ?? r.dev) : null;
  return [r.dst, r.gateway ? `via ${r.gateway}` : null, dev ? `dev ${dev}` : null, r.src ? `src ${r.src}` : null, r.table !== 'main' ? `table ${r.table}` : null, r.metric !== null ? `metric ${r.metric}` : null]
    .filter(Boolean)
    .join(' ');
}

/** Routes as `ip route` prints them. */
export function RouteList({ routes, snapshot }: { routes: Route[]; snapshot: Snapshot }) {
  if (routes.length === 0) return <p className="empty">none</p>;
  return (
    <ul className="mono-list">
      {routes.map((r, k) => (
        <li key={k}>{routeText(r, snapshot)}</li>
      ))}
    </ul>
  );
}
