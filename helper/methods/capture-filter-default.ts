import type { CaptureParams } from '../../protocol/src/capture.js';
import type { NsTarget } from '../discover/ns-target.js';
import type { ServerContext } from '../server/context.js';

/**
 * In browser mode the UI's own WebSocket runs over the helper's loopback: a capture there would
 * mostly show itself (each batch making more packets). Such captures leave netloom's port out,
 * around the user's filter. Other namespaces' loopbacks never carry it.
 */
export function effectiveFilter(ctx: ServerContext, target: NsTarget, params: Pick<CaptureParams, 'ns' | 'interface' | 'filter'>): string {
  const port = ctx.browserPort;
  if (port === undefined || !target.own) return params.filter;
  const iface = ctx.targets.current()?.interfaces.find((f) => f.ns === params.ns && f.name === params.interface);
  const loopback = params.interface === 'lo' || params.interface === 'any' || iface?.kind === 'loopback';
  if (!loopback) return params.filter;
  const own = `not (tcp port ${port})`;
  return params.filter.trim() === '' ? own : `(${params.filter}) and ${own}`;
}
