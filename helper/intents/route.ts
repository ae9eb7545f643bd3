import type { IntentOf } from '../../protocol/src/intents.js';
import type { BuildEnv, BuildResult } from './actions.js';
import { nsLabel, requireLink, resolveNs } from './actions.js';

type RouteIntent = IntentOf<'route.add'> | IntentOf<'route.delete'>;

/** `DST [via GW] [dev DEV]` — the same words add and delete a route. */
function routeWords(r: RouteIntent): string[] {
  return [r.dst, ...(r.via !== undefined ? ['via', r.via] : []), ...(r.dev !== undefined ? ['dev', r.dev] : [])];
}

function describe(r: RouteIntent): string {
  return [r.dst === 'default' ? 'default route' : `route to ${r.dst}`, r.via ? `via ${r.via}` : '', r.dev ? `on ${r.dev}` : ''].filter(Boolean).join(' ');
}

/** Routes are not pre-checked against the table: the kernel's "File exists" / "No such process" ends the apply and rolls back. */
export function buildRoute(intent: RouteIntent, env: BuildEnv, at: string): BuildResult {
  const ns = resolveNs(env, intent.ns, `${at}.ns`);
  if (intent.dev !== undefined) requireLink(ns, intent.dev, `${at}.dev`);
  const words = routeWords(intent);
  const add = ['route', 'add', ...words];
  const del = ['route', 'del', ...words];
  const adding = intent.op === 'route.add';
  return {
    actions: [
      {
        kind: 'ip',
        ns: ns.target,
        args: adding ? add : del,
        undo: adding ? del : add,
        description: `${adding ? 'add' : 'remove'} ${describe(intent)} in ${nsLabel(ns.target)}`,
      },
    ],
  };
}
