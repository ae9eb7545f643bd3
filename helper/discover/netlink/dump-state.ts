import { constants } from 'node:os';
import type { NamespaceState } from '../read-namespace.js';
import { decodeLinks } from './link.js';
import type { NsDump } from './records.js';
import { decodeRoutes } from './route.js';
import { routeNames, type RouteNames } from './rt-names.js';

const ERRNO_NAMES = new Map(Object.entries(constants.errno).map(([name, n]) => [n, name]));

function errnoText(e: { step: string; errno: number }): string {
  return `${e.step}: ${ERRNO_NAMES.get(e.errno) ?? `errno ${e.errno}`}`;
}

/**
 * Whether iptables-save has anything to print in this namespace: iptables-nft keeps its tables
 * in nftables' `ip` family, iptables-legacy lists its own in /proc/net/ip_tables_names. When
 * either could not be asked, the answer is yes — iptables-save is run and tells.
 */
export function hasIptablesTables(d: NsDump): boolean {
  if (d.nftFamilies === null || d.legacyTables === null) return true;
  return d.nftFamilies.includes(2) || d.legacyTables.trim() !== '';
}

/** A namespace's dump → its state. iptables text comes separately (null here: not read yet). */
export function stateFromDump(id: string, d: NsDump, names: RouteNames = routeNames()): NamespaceState {
  const fatal = d.errors.find((e) => e.step === 'open' || e.step === 'setns' || e.step === 'socket' || e.step === 'links');
  const links = fatal === undefined ? decodeLinks(d.links, d.addrs) : [];
  const byIndex = new Map(links.map((l) => [l.ifindex, l.name]));
  const partial = d.errors.filter((e) => e.step === 'addresses' || e.step === 'routes' || e.step === 'forward');
  const forward = d.forward?.trim();
  return {
    id,
    links,
    routes: fatal === undefined ? decodeRoutes(d.routes, (i) => byIndex.get(i) ?? `if${i}`, names) : [],
    ipForward: forward === '1' ? true : forward === '0' ? false : null,
    nsids: null,
    iptablesSave: hasIptablesTables(d) ? null : '',
    error:
      fatal !== undefined
        ? `could not read the namespace: ${errnoText(fatal)}`
        : partial.length > 0
          ? `could not read all of the namespace: ${partial.map(errnoText).join(', ')}`
          : null,
    iptablesError: null,
  };
}
