import { readFileSync } from 'node:fs';

/**
 * Numbers → the names ip prints for route tables, protocols and scopes: the built-in ones,
 * overridden by /etc/iproute2/rt_tables, rt_protos and rt_scopes as ip reads them.
 */
const BUILT_IN = {
  tables: { 0: 'unspec', 253: 'default', 254: 'main', 255: 'local' },
  protos: { 0: 'unspec', 1: 'redirect', 2: 'kernel', 3: 'boot', 4: 'static', 8: 'gated', 9: 'ra', 10: 'mrt', 11: 'zebra', 12: 'bird', 13: 'dnrouted', 14: 'xorp', 15: 'ntk', 16: 'dhcp', 18: 'keepalived', 42: 'babel', 99: 'openr', 186: 'bgp', 187: 'isis', 188: 'ospf', 189: 'rip', 192: 'eigrp' },
  scopes: { 0: 'global', 200: 'site', 253: 'link', 254: 'host', 255: 'nowhere' },
} as const;

export const ROUTE_TYPES = ['none', 'unicast', 'local', 'broadcast', 'anycast', 'multicast', 'blackhole', 'unreachable', 'prohibit', 'throw', 'nat', 'xresolve'];

export type NameTable = Map<number, string>;

/** "NUMBER NAME" lines, # comments (the format of /etc/iproute2/rt_*). */
export function parseNameFile(text: string, into: NameTable): NameTable {
  for (const line of text.split('\n')) {
    const m = /^\s*(0x[0-9a-f]+|\d+)\s+([^\s#]+)/i.exec(line);
    if (m?.[1] !== undefined && m[2] !== undefined) into.set(Number(m[1]), m[2]);
  }
  return into;
}

function load(file: string, builtIn: Record<number, string>): NameTable {
  const t: NameTable = new Map(Object.entries(builtIn).map(([k, v]) => [Number(k), v]));
  try {
    parseNameFile(readFileSync(`/etc/iproute2/${file}`, 'utf8'), t);
  } catch {
    // no file: the built-in names
  }
  return t;
}

export interface RouteNames {
  tables: NameTable;
  protos: NameTable;
  scopes: NameTable;
}

let cached: RouteNames | null = null;

export function routeNames(): RouteNames {
  cached ??= { tables: load('rt_tables', BUILT_IN.tables), protos: load('rt_protos', BUILT_IN.protos), scopes: load('rt_scopes', BUILT_IN.scopes) };
  return cached;
}

export function builtInNames(): RouteNames {
  const m = (o: Record<number, string>): NameTable => new Map(Object.entries(o).map(([k, v]) => [Number(k), v]));
  return { tables: m(BUILT_IN.tables), protos: m(BUILT_IN.protos), scopes: m(BUILT_IN.scopes) };
}
