import type { HopDecider } from '../../protocol/src/explain.js';
import type { IpRule } from '../../protocol/src/firewall.js';
import type { Route } from '../../protocol/src/snapshot.js';
import type { NetIndex } from './net-index.js';
import type { Family } from '../net/ip-addr.js';
import { cidrHolds, familyOf, parsePrefix, prefixContains } from '../net/ip-addr.js';

/**
 * The kernel's routing decision over the snapshot's routes, policy routing included: `ip rule`s
 * in priority order (selectors from, to, iif, oif, fwmark/mask, `not`; actions lookup, goto, nop,
 * blackhole, unreachable, prohibit), each lookup taking the longest prefix, then the lowest metric,
 * of its table; a `throw` route or an empty table goes on to the next rule. Without the namespace's
 * rules (an older snapshot) the default ones apply: local, main, default. Family aware.
 */
export type RouteDecision = (
  | { kind: 'local'; route: Route }
  | { kind: 'unicast'; route: Route; dev: string; nexthop: string }
  | { kind: 'refused'; route: Route | null; why: string }
  | { kind: 'none' }
  | { kind: 'unknown'; why: string }
) & {
  /** The policy rule that led there, when it was not one of the default three. */
  rule?: IpRule;
};

/** What the lookup knows besides the destination. */
export interface Selectors {
  /** null: the socket has not chosen yet (only rules without `from` can match). */
  src?: string | null;
  /** The interface it came in by; `lo` for a packet a local socket sends. */
  iif?: string | null;
  /** null: set where netloom cannot follow. */
  mark?: number | null;
}

const DEFAULT_RULES = (family: Family): IpRule[] =>
  [
    [0, 'local'],
    [32766, 'main'],
    [32767, 'default'],
  ].map(([priority, table]) => ({ family, priority: priority as number, src: null, dst: null, iif: null, oif: null, fwmark: null, fwmask: null, action: 'lookup' as const, table: table as string }));

function routeFamily(r: Route): Family | null {
  if (r.family !== undefined) return r.family;
  if (r.dst === 'default') return r.gateway !== null ? familyOf(r.gateway) : null;
  return familyOf(r.dst.split('/')[0] ?? '');
}

/** The table's best route for `dst` and its prefix length, or null. */
function inTable(routes: Route[], table: string, dst: string, family: Family): { route: Route; bits: number } | null {
  let best: { route: Route; bits: number } | null = null;
  for (const r of routes) {
    if (r.table !== table) continue;
    const p = parsePrefix(r.dst, family);
    if (p === null || !prefixContains(p, dst)) continue;
    if (r.type === 'broadcast' || r.type === 'multicast') continue;
    const better = best === null || p.bits > best.bits || (p.bits === best.bits && (r.metric ?? 0) < (best.route.metric ?? 0));
    if (better) best = { route: r, bits: p.bits };
  }
  return best;
}

type Tri = 'yes' | 'no' | 'unknown';

function selects(rule: IpRule, dst: string, sel: Selectors): Tri {
  if ((rule.other ?? []).length > 0) return 'unknown';
  let r: Tri = 'yes';
  if (rule.src !== null) r = sel.src === null || sel.src === undefined ? (rule.src.endsWith('/0') ? 'yes' : 'no') : cidrHolds(rule.src, sel.src) ? 'yes' : 'no';
  if (r === 'yes' && rule.dst !== null) r = cidrHolds(rule.dst, dst) ? 'yes' : 'no';
  if (r === 'yes' && rule.iif !== null) r = sel.iif === undefined ? 'unknown' : rule.iif === sel.iif ? 'yes' : 'no';
  // A socket bound to no device gives no oif: `oif` rules do not match it.
  if (r === 'yes' && rule.oif !== null) r = 'no';
  if (r === 'yes' && rule.fwmark !== null) {
    const mask = rule.fwmask ?? 0xffffffff;
    r = sel.mark === null || sel.mark === undefined ? 'unknown' : ((sel.mark & mask) >>> 0) === ((rule.fwmark & mask) >>> 0) ? 'yes' : 'no';
  }
  if (rule.not && r !== 'unknown') r = r === 'yes' ? 'no' : 'yes';
  return r;
}

export function ipRuleText(r: IpRule): string {
  const parts = [`${r.priority}:`];
  if (r.not) parts.push('not');
  parts.push(`from ${r.src ?? 'all'}`);
  if (r.dst) parts.push(`to ${r.dst}`);
  if (r.iif) parts.push(`iif ${r.iif}`);
  if (r.oif) parts.push(`oif ${r.oif}`);
  if (r.fwmark !== null) parts.push(`fwmark 0x${r.fwmark.toString(16)}${r.fwmask !== null && r.fwmask !== 0xffffffff ? `/0x${r.fwmask.toString(16)}` : ''}`);
  parts.push(...(r.other ?? []));
  if (r.action === 'lookup') parts.push(`lookup ${r.table}`);
  else if (r.action === 'goto') parts.push(`goto ${r.goto}`);
  else parts.push(r.action);
  return parts.join(' ');
}

const isDefault = (r: IpRule): boolean => r.src === null && r.dst === null && r.iif === null && r.oif === null && r.fwmark === null && !r.not && r.action === 'lookup' && ['local', 'main', 'default'].includes(r.table ?? '');

export function lookupRoute(idx: NetIndex, nsId: string, dst: string, sel: Selectors = {}): RouteDecision {
  const family = familyOf(dst);
  if (family === null) return { kind: 'none' };
  const routes = idx.routesOf(nsId).filter((r) => routeFamily(r) === family);
  const known = idx.ns(nsId)?.ipRules;
  const rules = known === undefined ? DEFAULT_RULES(family) : known.filter((r) => r.family === family);
  let unsure: string | null = null;
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i]!;
    const m = selects(rule, dst, sel);
    if (m === 'no') continue;
    if (m === 'unknown') {
      unsure ??= `policy rule "${ipRuleText(rule)}" may apply (netloom cannot tell${rule.fwmark !== null ? ' the packet mark' : ''})`;
      continue;
    }
    const tag = isDefault(rule) ? {} : { rule };
    if (rule.action === 'nop') continue;
    if (rule.action === 'goto') {
      const next = rules.findIndex((r) => r.priority >= (rule.goto ?? Infinity));
      if (next <= i) return { kind: 'unknown', why: `policy rule "${ipRuleText(rule)}" jumps backwards` };
      i = next - 1;
      continue;
    }
    if (rule.action === 'blackhole' || rule.action === 'unreachable' || rule.action === 'prohibit') {
      return unsure !== null ? { kind: 'unknown', why: unsure } : { kind: 'refused', route: null, why: `policy rule "${ipRuleText(rule)}" (${rule.action})`, rule };
    }
    if (rule.action !== 'lookup' || rule.table === null) return { kind: 'unknown', why: `policy rule "${ipRuleText(rule)}" is of a kind netloom does not model` };
    const best = inTable(routes, rule.table, dst, family);
    if (best === null || best.route.type === 'throw') continue;
    if (rule.suppressPrefixlen !== null && rule.suppressPrefixlen !== undefined && best.bits <= rule.suppressPrefixlen) continue;
    if (unsure !== null) return { kind: 'unknown', why: unsure };
    return { ...decide(best.route, dst), ...tag };
  }
  if (unsure !== null) return { kind: 'unknown', why: unsure };
  if (known === undefined) {
    const other = routes.find((r) => !['local', 'main', 'default'].includes(r.table));
    if (other) return { kind: 'unknown', why: `no route in the main table, but table ${other.table} has routes (policy routing is not read)` };
  }
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

/** What decided, for the UI: the route, or the policy rule when no route did. */
export function routeDecider(ns: string, idx: NetIndex, r: RouteDecision): HopDecider | null {
  if ((r.kind === 'local' || r.kind === 'unicast' || r.kind === 'refused') && r.route !== null) return { kind: 'route', ns, table: r.route.table, dst: r.route.dst, text: routeText(idx, r.route) };
  if (r.rule) return { kind: 'ipRule', ns, priority: r.rule.priority, text: ipRuleText(r.rule) };
  return null;
}

export function hasDefaultRoute(idx: NetIndex, nsId: string, family: Family): boolean {
  return idx.routesOf(nsId).some((r) => r.dst === 'default' && routeFamily(r) === family && (r.type ?? 'unicast') === 'unicast');
}
