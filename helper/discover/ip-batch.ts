import { parseLinks, type ParsedLink } from './ip-link.js';
import { parseRoutes, type ParsedRoute } from './ip-route.js';
import { parseIpForward } from './netconf.js';
import { parseNsids } from './nsid.js';

/**
 * One `ip -json -details -statistics -force -batch -` per namespace reads everything ip knows
 * about it. `route show table all` already holds IPv6 routes too (checked on iproute2 6.1), so
 * no `-6` line is needed (and `-6` is not accepted inside a batch line anyway).
 */
export const IP_BATCH_ARGS = ['-json', '-details', '-statistics', '-force', '-batch', '-'];
export const IP_BATCH_INPUT = 'addr show\nroute show table all\nnetconf show\nnetns list-id\n';
const SECTIONS = ['links', 'routes', 'netconf', 'nsids'] as const;
type Section = (typeof SECTIONS)[number];

export interface IpBatchResult {
  links: ParsedLink[];
  routes: ParsedRoute[];
  ipForward: boolean | null;
  nsids: Map<number, string | null>;
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
  if (arrays.length === SECTIONS.length) {
    SECTIONS.forEach((s, i) => found.set(s, arrays[i] ?? []));
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
    nsids: parseNsids(found.get('nsids')),
    missing: SECTIONS.filter((s) => !found.has(s)),
  };
}
