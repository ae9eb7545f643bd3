import { z } from 'zod';
import { Chain, FirewallSet, FirewallTable, Interface, Namespace, Notice, PortMapping, Route, Rule, RuntimeNetwork, Snapshot } from './snapshot.js';

/**
 * A change to a snapshot (DESIGN §4). Namespaces and interfaces change by id; routes,
 * rules and chains have no identity of their own, so a patch replaces them per namespace.
 */
export const TopologyPatch = z.object({
  takenAt: z.string(),
  upsertNamespaces: z.array(Namespace).optional(),
  removeNamespaces: z.array(z.string()).optional(),
  upsertInterfaces: z.array(Interface).optional(),
  removeInterfaces: z.array(z.string()).optional(),
  /** Replaces all routes of each namespace named. */
  routesByNs: z.record(z.string(), z.array(Route)).optional(),
  /** Replaces all rules (and chains) of each namespace named. */
  rulesByNs: z.record(z.string(), z.array(Rule)).optional(),
  chainsByNs: z.record(z.string(), z.array(Chain)).optional(),
  /** Replace the firewall tables and nftables sets of each namespace named (with its rules). */
  firewallTablesByNs: z.record(z.string(), z.array(FirewallTable)).optional(),
  setsByNs: z.record(z.string(), z.array(FirewallSet)).optional(),
  /** Replaces the whole list. */
  portMappings: z.array(PortMapping).optional(),
  notices: z.array(Notice).optional(),
  runtimeNetworks: z.array(RuntimeNetwork).optional(),
});
export type TopologyPatch = z.infer<typeof TopologyPatch>;

export function isEmptyPatch(p: TopologyPatch): boolean {
  return (
    !p.upsertNamespaces?.length &&
    !p.removeNamespaces?.length &&
    !p.upsertInterfaces?.length &&
    !p.removeInterfaces?.length &&
    p.routesByNs === undefined &&
    p.rulesByNs === undefined &&
    p.chainsByNs === undefined &&
    p.firewallTablesByNs === undefined &&
    p.setsByNs === undefined &&
    p.portMappings === undefined &&
    p.notices === undefined &&
    p.runtimeNetworks === undefined
  );
}

function upsertById<T extends { id: string }>(list: T[], upserts: T[] | undefined, removes: string[] | undefined): T[] {
  if (!upserts?.length && !removes?.length) return list;
  const gone = new Set(removes ?? []);
  const byId = new Map(upserts?.map((u) => [u.id, u]) ?? []);
  const out: T[] = [];
  for (const item of list) {
    if (gone.has(item.id)) continue;
    const next = byId.get(item.id);
    out.push(next ?? item);
    byId.delete(item.id);
  }
  for (const added of byId.values()) out.push(added);
  return out;
}

function replacePerNs<T extends { ns: string }>(list: T[], byNs: Record<string, T[]> | undefined, goneNs: Set<string>): T[] {
  if (byNs === undefined && goneNs.size === 0) return list;
  const replaced = new Set(Object.keys(byNs ?? {}));
  const kept = list.filter((x) => !replaced.has(x.ns) && !goneNs.has(x.ns));
  return kept.concat(...Object.values(byNs ?? {}));
}

/** Pure: returns a new snapshot with the patch applied. Removing a namespace removes what lives in it. */
export function applyPatch(s: Snapshot, p: TopologyPatch): Snapshot {
  const goneNs = new Set(p.removeNamespaces ?? []);
  const interfaces = upsertById(s.interfaces, p.upsertInterfaces, p.removeInterfaces).filter((i) => !goneNs.has(i.ns));
  const out: Snapshot = {
    ...s,
    takenAt: p.takenAt,
    namespaces: upsertById(s.namespaces, p.upsertNamespaces, p.removeNamespaces),
    interfaces,
    routes: replacePerNs(s.routes, p.routesByNs, goneNs),
    rules: replacePerNs(s.rules, p.rulesByNs, goneNs),
    portMappings: p.portMappings ?? s.portMappings.filter((m) => !goneNs.has(m.ns)),
  };
  if (s.chains !== undefined || p.chainsByNs !== undefined) out.chains = replacePerNs(s.chains ?? [], p.chainsByNs, goneNs);
  if (s.firewallTables !== undefined || p.firewallTablesByNs !== undefined) out.firewallTables = replacePerNs(s.firewallTables ?? [], p.firewallTablesByNs, goneNs);
  if (s.sets !== undefined || p.setsByNs !== undefined) out.sets = replacePerNs(s.sets ?? [], p.setsByNs, goneNs);
  if (p.notices !== undefined) out.notices = p.notices;
  if (p.runtimeNetworks !== undefined) out.runtimeNetworks = p.runtimeNetworks;
  return out;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function groupByNs<T extends { ns: string }>(list: T[]): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const x of list) {
    const arr = m.get(x.ns);
    if (arr) arr.push(x);
    else m.set(x.ns, [x]);
  }
  return m;
}

function diffPerNs<T extends { ns: string }>(before: T[], after: T[], liveNs: Set<string>): Record<string, T[]> | undefined {
  const a = groupByNs(before);
  const b = groupByNs(after);
  const out: Record<string, T[]> = {};
  let any = false;
  for (const ns of new Set([...a.keys(), ...b.keys()])) {
    if (!liveNs.has(ns)) continue;
    const next = b.get(ns) ?? [];
    if (!sameJson(a.get(ns) ?? [], next)) {
      out[ns] = next;
      any = true;
    }
  }
  return any ? out : undefined;
}

function diffById<T extends { id: string }>(before: T[], after: T[], ignore?: (x: T) => unknown): { upsert: T[]; remove: string[] } {
  const prev = new Map(before.map((x) => [x.id, x]));
  const upsert: T[] = [];
  for (const x of after) {
    const old = prev.get(x.id);
    prev.delete(x.id);
    const view = ignore ?? ((v: T) => v);
    if (!old || !sameJson(view(old), view(x))) upsert.push(x);
  }
  return { upsert, remove: [...prev.keys()] };
}

/**
 * The patch that turns `before` into `after`. Interface counters alone do not make a
 * change (they move every second; the counters stream carries them).
 */
export function diffSnapshots(before: Snapshot, after: Snapshot): TopologyPatch {
  const p: TopologyPatch = { takenAt: after.takenAt };
  const ns = diffById(before.namespaces, after.namespaces);
  if (ns.upsert.length) p.upsertNamespaces = ns.upsert;
  if (ns.remove.length) p.removeNamespaces = ns.remove;
  const ifs = diffById(before.interfaces, after.interfaces, (i) => ({ ...i, stats: null }));
  if (ifs.upsert.length) p.upsertInterfaces = ifs.upsert;
  const goneNs = new Set(ns.remove);
  const ifRemove = ifs.remove.filter((id) => !goneNs.has(id.slice(0, id.indexOf('/'))));
  if (ifRemove.length) p.removeInterfaces = ifRemove;
  const liveNs = new Set(after.namespaces.map((n) => n.id));
  const routes = diffPerNs(before.routes, after.routes, liveNs);
  if (routes) p.routesByNs = routes;
  const rules = diffPerNs(before.rules, after.rules, liveNs);
  if (rules) p.rulesByNs = rules;
  const chains = diffPerNs(before.chains ?? [], after.chains ?? [], liveNs);
  if (chains) p.chainsByNs = chains;
  const tables = diffPerNs(before.firewallTables ?? [], after.firewallTables ?? [], liveNs);
  if (tables) p.firewallTablesByNs = tables;
  const sets = diffPerNs(before.sets ?? [], after.sets ?? [], liveNs);
  if (sets) p.setsByNs = sets;
  if (!sameJson(before.portMappings, after.portMappings)) p.portMappings = after.portMappings;
  if (!sameJson(before.notices ?? [], after.notices ?? [])) p.notices = after.notices ?? [];
  if (!sameJson(before.runtimeNetworks ?? [], after.runtimeNetworks ?? [])) p.runtimeNetworks = after.runtimeNetworks ?? [];
  return p;
}
