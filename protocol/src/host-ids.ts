/**
 * Ids across hosts (issue 14). A remote host's ids carry its name in front —
 * `host:alpha/ns:4026532290`, `host:alpha/ns:4026532290/7` — so one snapshot holds several
 * hosts whose inodes and ifindexes repeat. The local host keeps its ids as they are: a single-host
 * canvas is exactly what it was.
 *
 * Every id in the snapshot, its patches, counters and answers starts with `ns:` (namespaces,
 * interfaces `ns:…/N`, routes' and rules' `ns`, a master or peer), so one walk over the value
 * prefixes them all; texts that merely mention an id are left alone.
 */
const ID = /^ns:\d+(?:\/\d+)?$/;
const PREFIXED = /^host:([A-Za-z0-9][A-Za-z0-9_.-]{0,62})\/(ns:\d+(?:\/\d+)?)$/;

export const hostPrefix = (host: string): string => `host:${host}/`;

/** `ns:5/2` on host alpha → `host:alpha/ns:5/2`. */
export function prefixId(host: string, id: string): string {
  return ID.test(id) ? hostPrefix(host) + id : id;
}

/** The host an id names and the id on that host; `host` is null for the local host's plain ids. */
export function splitId(id: string): { host: string | null; id: string } {
  const m = PREFIXED.exec(id);
  return m && m[1] !== undefined && m[2] !== undefined ? { host: m[1], id: m[2] } : { host: null, id };
}

/** Keys of objects are ids too (routesByNs, rulesByNs): rewritten with the same rule. */
function mapStrings(value: unknown, f: (s: string) => string): unknown {
  if (typeof value === 'string') return f(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, f));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[f(k)] = mapStrings(v, f);
    return out;
  }
  return value;
}

/** A host's answer as the merged canvas sees it: every id prefixed with the host's name. */
export function prefixIds<T>(host: string, value: T): T {
  return mapStrings(value, (s) => prefixId(host, s)) as T;
}

/**
 * A request as one host must see it: the ids it names, unprefixed, and which host that is.
 * `hosts` lists every host named (empty: only local ids or none); a request naming two hosts is
 * the caller's to split (Explain across hosts) or refuse.
 */
export function stripIds<T>(value: T): { hosts: Set<string | null>; value: T } {
  const hosts = new Set<string | null>();
  const out = mapStrings(value, (s) => {
    if (s.startsWith('ns:') && ID.test(s)) {
      hosts.add(null);
      return s;
    }
    const m = splitId(s);
    if (m.host === null) return s;
    hosts.add(m.host);
    return m.id;
  });
  return { hosts, value: out as T };
}
