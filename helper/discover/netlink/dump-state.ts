import { constants } from 'node:os';
import type { FirewallHints } from '../../firewall/read.js';
import type { NamespaceState } from '../read-namespace.js';
import { parseSysctls } from '../sysctls.js';
import { decodeFibRules } from './fib-rules.js';
import { decodeNftTables } from './nft-tables.js';
import { decodeLinks } from './link.js';
import type { NsDump } from './records.js';
import { decodeRoutes } from './route.js';
import { routeNames, type RouteNames } from './rt-names.js';

const ERRNO_NAMES = new Map(Object.entries(constants.errno).map(([name, n]) => [n, name]));

function errnoText(e: { step: string; errno: number }): string {
  return `${e.step}: ${ERRNO_NAMES.get(e.errno) ?? `errno ${e.errno}`}`;
}

/**
 * Which firewall tables the namespace has: x_tables lists its own in /proc/net/ip{,6}_tables_names,
 * nftables answers NFT_MSG_GETTABLE (iptables-nft's tables are among them). Whatever could not be
 * asked is null: the reader then runs that source's program and lets it tell.
 */
export function firewallHints(d: NsDump): FirewallHints {
  return {
    legacy4: d.legacyTables === null ? null : d.legacyTables.trim() !== '',
    legacy6: d.legacy6Tables === null ? null : d.legacy6Tables.trim() !== '',
    nftTables: d.nftTables === null ? null : decodeNftTables(d.nftTables),
  };
}

/** Whether any firewall source has tables here (the rules poll reads only those). */
export function hasFirewallTables(h: FirewallHints): boolean {
  return h.legacy4 !== false || h.legacy6 !== false || h.nftTables === null || h.nftTables.length > 0;
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
    firewall: hasFirewallTables(firewallHints(d)) ? null : { saves: [], nftJson: null, unread: [] },
    firewallHints: firewallHints(d),
    ipRules: fatal === undefined && d.rules !== null ? decodeFibRules(d.rules, names) : null,
    sysctls: d.sysctls === null ? null : parseSysctls(d.sysctls),
    error:
      fatal !== undefined
        ? `could not read the namespace: ${errnoText(fatal)}`
        : partial.length > 0
          ? `could not read all of the namespace: ${partial.map(errnoText).join(', ')}`
          : null,
  };
}
