import type { Interface, Route } from '../../protocol/src/snapshot.js';
import { cidrContains, parseCidr4 } from './ipv4-match.js';

/**
 * The interface a DNAT target address lives on, in any namespace of this host. Labs reuse
 * addresses (every lab has its 10.0.0.2), so when several interfaces hold the address the
 * one the mapping's namespace actually routes to wins: the route's device is the bridge
 * (or veth end) that the target's veth peer is attached to. Ambiguous and unresolved → null;
 * no edge is better than a wrong one.
 */
export function findTargetInterface(targetIp: string, ns: string, interfaces: Interface[], routes: Route[]): string | null {
  const holders = interfaces.filter((i) => i.addresses.some((a) => a.split('/')[0] === targetIp));
  if (holders.length === 0) return null;
  if (holders.length === 1) return holders[0]?.id ?? null;
  const local = holders.find((i) => i.ns === ns);
  if (local !== undefined) return local.id;
  const dev = routeDevice(targetIp, ns, routes);
  if (dev === null) return null;
  const byId = new Map(interfaces.map((i) => [i.id, i]));
  const reached = holders.filter((i) => {
    if (i.peer === null) return false;
    if (i.peer === dev) return true;
    return byId.get(i.peer)?.master === dev;
  });
  return reached.length === 1 ? (reached[0]?.id ?? null) : null;
}

/** Device (interface id) of the longest-prefix IPv4 route to `ip` in `ns`, main table first. */
function routeDevice(ip: string, ns: string, routes: Route[]): string | null {
  let best: { bits: number; main: boolean; dev: string } | null = null;
  for (const r of routes) {
    if (r.ns !== ns || r.dev === null) continue;
    if (r.type !== undefined && r.type !== 'unicast') continue;
    const dst = r.dst === 'default' ? '0.0.0.0/0' : r.dst;
    const net = parseCidr4(dst);
    if (net === null || !cidrContains(dst, ip)) continue;
    const main = r.table === 'main';
    if (best === null || (main && !best.main) || (main === best.main && net.bits > best.bits)) {
      best = { bits: net.bits, main, dev: r.dev };
    }
  }
  return best?.dev ?? null;
}
