import { prefixIds } from './host-ids.js';
import type { HostEntry } from './hosts.js';
import type { Snapshot } from './snapshot.js';
import { tunnelEdges } from './tunnel-edges.js';

/**
 * Several hosts on one canvas (issue 14): one snapshot of many. The local host keeps its ids;
 * every remote host's ids carry its name (`host:NAME/ns:…`, host-ids.ts), so inodes and
 * ifindexes that repeat across machines never collide. A host with no picture yet (connecting,
 * failed) is listed in `hosts` with nothing drawn; a stale one keeps its last picture. Tunnels
 * are joined across hosts (tunnel-edges.ts).
 */
export interface HostPicture {
  entry: HostEntry;
  snapshot: Snapshot | null;
}

type ListKey = { [K in keyof Snapshot]-?: NonNullable<Snapshot[K]> extends readonly unknown[] ? K : never }[keyof Snapshot];
const LISTS = ['namespaces', 'interfaces', 'routes', 'rules', 'portMappings', 'chains', 'notices', 'runtimeNetworks', 'firewallTables', 'sets'] as const satisfies readonly ListKey[];

export function mergeSnapshots(pictures: readonly HostPicture[]): Snapshot {
  const shown = pictures.flatMap((p) => (p.snapshot === null ? [] : [p.entry.local ? p.snapshot : prefixIds(p.entry.name, p.snapshot)]));
  const first = pictures.find((p) => p.entry.local && p.snapshot !== null)?.snapshot ?? shown[0];
  const merged: Snapshot = {
    version: 1,
    takenAt: shown.map((s) => s.takenAt).sort().at(-1) ?? new Date(0).toISOString(),
    host: first?.host ?? { hostname: '', kernel: '', iptables: null },
    namespaces: [],
    interfaces: [],
    routes: [],
    rules: [],
    portMappings: [],
  };
  const out = merged as Record<string, unknown>;
  for (const key of LISTS) {
    const present = shown.filter((s) => s[key] !== undefined);
    if (present.length > 0) out[key] = present.flatMap((s) => s[key] as unknown[]);
  }
  merged.hosts = pictures.map((p) => p.entry);
  merged.tunnels = tunnelEdges(merged.interfaces);
  return merged;
}
