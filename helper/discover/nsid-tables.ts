import type { Exec } from '../exec.js';
import { mapBounded } from './bounded.js';
import { ipIn, type NsTarget } from './ns-target.js';
import { parseNsids } from './nsid.js';
import type { NamespaceState } from './read-namespace.js';
import { resolveVethPeers } from './veth-peers.js';

const withTables = (states: NamespaceState[]) => states.map((s) => ({ id: s.id, links: s.links, nsids: s.nsids ?? new Map<number, string | null>() }));

/**
 * Namespaces holding a veth whose peer mutual matching could not settle and whose nsid table
 * was not read: `ip netns list-id` there may name the other side.
 */
export function namespacesNeedingNsids(states: NamespaceState[], nameToNs: Map<string, string>): string[] {
  if (nameToNs.size === 0) return []; // list-id names only /run/netns namespaces
  const { peers } = resolveVethPeers(withTables(states), nameToNs);
  return states
    .filter((s) => s.nsids === null && s.links.some((l) => l.kind === 'veth' && l.linkNetnsid !== null && !peers.has(`${s.id}/${l.ifindex}`)))
    .map((s) => s.id);
}

/** Reads the nsid tables peer resolution still needs; returns the states with them filled in. */
export async function fillNsidTables(
  exec: Exec,
  states: NamespaceState[],
  targetOf: (id: string) => NsTarget | undefined,
  nameToNs: Map<string, string>,
  concurrency: number,
  signal?: AbortSignal,
): Promise<NamespaceState[]> {
  const need = new Set(namespacesNeedingNsids(states, nameToNs));
  if (need.size === 0) return states;
  return await mapBounded(states, concurrency, async (s) => {
    const t = need.has(s.id) ? targetOf(s.id) : undefined;
    if (t === undefined) return s;
    const r = await exec.run(ipIn(t, ['-json', 'netns', 'list-id']), { signal, timeoutMs: 10_000, allowFailure: true }).catch(() => null);
    let json: unknown = [];
    try {
      json = r ? JSON.parse(r.stdout || '[]') : [];
    } catch {
      // unreadable: leave the table empty
    }
    return { ...s, nsids: parseNsids(json) };
  });
}
