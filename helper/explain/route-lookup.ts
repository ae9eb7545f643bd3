import type { Route } from '../../protocol/src/snapshot.js';
import type { NetIndex } from './net-index.js';
import type { Family } from '../net/ip-addr.js';
import { familyOf, parsePrefix, prefixContains } from '../net/ip-addr.js';

/**
 * The kernel's routing decision over the snapshot's routes: the default policy rules look in
 * `local`, then `main`, then `default`; within a table the longest prefix wins, then the lowest
 * metric. Family aware: an IPv4 address is never matched against an IPv6 route.
 */
export type RouteDecision =
  | { kind: 'local'; route: Route }
  | { kind: 'unicast'; route: Route; dev: string; nexthop: string }
  | { kind: 'refused'; route: Route; why: string }
  | { kind: 'none' }
  /** Routes in other tables exist: `ip rule` policy routing may choose them, and the snapshot does not hold the rules. */
  | { kind: 'unknown'; why: string };

const TABLE_ORDER = ['local', 'main', 'default'];

function routeFamily(r: Route): Family | null {
  if (r.family !== undefined) return r.family;
  if (r.dst === 'default') return r.gateway !== null ? familyOf(r.gateway) : null;
  return familyOf(r.dst.split('/')[0] ?? '');
}

export function lookupRoute(idx: NetIndex, nsId: string, dst: string): RouteDecision {
  const family = familyOf(dst);
  if (family === null) return { kind: 'none' };
  const routes = idx.routesOf(nsId).filter((r) => routeFamily(r) === family);
  for (const table of TABLE_ORDER) {
    let best: { route: Route; bits: number } | null = null;
    for (const r of routes) {
      if (r.table !== table) continue;
      const p = parsePrefix(r.dst, family);
      if (p === null || !prefixContains(p, dst)) continue;
      if (r.type === 'broadcast' || r.type === 'multicast') continue;
      const better = best === null || p.bits > best.bits || (p.bits === best.bits && (r.metric ?? 0) < (best.route.metric ?? 0));
      if (better) best = { route: r, bits: p.bits };
    }
    if (best !== null) return decide(best.route, dst);
  }
  const other = routes.find((r) => !TABLE_ORDER.includes(r.table));
  if (other) return { kind: 'unknown', why: `no route in the main table, but table ${other.table} has routes (policy routing is not read)` };
  return { kind: 'none' };
}

function decide(route: Route, dst: string): RouteDecision {
  const type = route.type ?? 'unicast';
  if (type === 'local') return { kind: 'local', route };
  if (type === 'blackhole' || type === 'unreachable' || type === 'prohibit') return { kind: 'refused', route, why: `a ${type} route` };
  if (route.dev === null) return { kind: 'refused', route, why: 'a route without a device' };
  return { kind: 'unicast', route, dev: route.dev, nexthop: route.gateway ?? dst };
}

/** `default via 10.0.0.1 dev eth0` — how `ip route` prints it, with interface names. */
export function routeText(idx: NetIndex, r: Route): string {
  const dev = r.dev !== null ? (idx.iface(r.dev)?.name ?? r.dev) : null;
  const parts = [r.type && r.type !== 'unicast' ? `${r.type} ${r.dst}` : r.dst];
  if (r.gateway) parts.push(`via ${r.gateway}`);
  if (dev) parts.push(`dev ${dev}`);
  if (r.table !== 'main') parts.push(`table ${r.table}`);
  return parts.join(' ');
}

export function hasDefaultRoute(idx: NetIndex, nsId: string, family: Family): boolean {
  return idx.routesOf(nsId).some((r) => r.dst === 'default' && routeFamily(r) === family && (r.type ?? 'unicast') === 'unicast');
}
