import { parseLinks, type ParsedLink } from './ip-link.js';
import { parseRoutes, type ParsedRoute } from './ip-route.js';
import { parseIpForward } from './netconf.js';
import { parseNsids } from './nsid.js';

/**
 * One `ip -json -details -statistics -force -batch -` per namespace reads everything ip knows
 * about it. `route show table all` already holds IPv6 routes too (checked on iproute2 6.1), so
 * no `-6` line is needed (and `-6` is not accepted inside a batch line anyway).
 *
 * `netns list-id` is not in the batch: with names it opens every /run/netns entry, which with
 * 200 namespaces doubles the cost of the read; it is asked only where a veth stays unresolved
 * (see nsid-tables.ts). The parser still accepts its section.
 */
export const IP_BATCH_ARGS = ['-json', '-details', '-statistics', '-force', '-batch', '-'];
export const IP_BATCH_INPUT = 'addr show\nroute show table all\nnetconf show\n';
const SECTIONS = ['links', 'routes', 'netconf', 'nsids'] as const;
const ASKED = IP_BATCH_INPUT.trim().split('\n').length;
type Section = (typeof SECTIONS)[number];

export interface IpBatchResult {
  links: ParsedLink[];
  routes: ParsedRoute[];
  ipForward: boolean | null;
  /** null when the batch did not ask for it. */
  nsids: Map<number, string | null> | null;
  /** Sections ip printed nothing for (a command failed; `-force` went on with the rest). */
  missing: Section[];
}

/** Recognises a section by its shape, for when a failed command left its line out. */
function shapeOf(arr: unknown[]): Section | null {
  const first: unknown = arr[0];
  if (typeof first !== 'object' || first === null) return null;
  if ('ifindex' in first) return 'links';
  if ('dst' in first) return 'routes';
  if ('interface' in first && 'family' in first) return 'netconf';
  if ('nsid' in first) return 'nsids';
  return null;
}

/** Splits the batch's stdout: each command prints one JSON array on its own line. */
export function parseIpBatch(stdout: string): IpBatchResult {
  const arrays: unknown[][] = [];
  for (const line of stdout.split('\n')) {
    const t = line.trim();
    if (!t.startsWith('[')) continue;
    try {
      const v: unknown = JSON.parse(t);
      if (Array.isArray(v)) arrays.push(v);
    } catch {
      // A torn line is a missing section, reported below.
    }
  }
  const found = new Map<Section, unknown[]>();
  // In order when every line is there and each non-empty one has its section's shape; else by shape.
  const inOrder =
    (arrays.length === ASKED || arrays.length === SECTIONS.length) && arrays.every((a, i) => a.length === 0 || shapeOf(a) === SECTIONS[i]);
  if (inOrder) {
    arrays.forEach((a, i) => found.set(SECTIONS[i] ?? 'nsids', a));
  } else {
    for (const a of arrays) {
      const s = shapeOf(a);
      if (s !== null && !found.has(s)) found.set(s, a);
    }
  }
  return {
    links: parseLinks(found.get('links')),
    routes: parseRoutes(found.get('routes')),
    ipForward: parseIpForward(found.get('netconf')),
    nsids: found.has('nsids') ? parseNsids(found.get('nsids')) : null,
    missing: SECTIONS.slice(0, ASKED).filter((s) => !found.has(s)),
  };
}
