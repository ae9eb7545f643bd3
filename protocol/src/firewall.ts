import { z } from 'zod';

/**
 * The firewall part of the snapshot (issue 12): Linux keeps packet filter rules in three places
 * at once, and netloom reads all of them.
 *
 * - `legacy`     — x_tables, what `iptables-legacy-save` shows (fixed priorities per table);
 * - `nft-compat` — iptables-nft's tables inside nftables (`iptables-nft-save` spells them);
 * - `nftables`   — every other nftables table, as `nft -j list ruleset` gives it (Docker 29,
 *                  netavark ≥ 1.12, firewalld, kube-proxy, lxc-net, libvirt, the user, netloom).
 *
 * An `accept` ends only its own base chain; a `drop` in any base chain at a hook is final.
 */
export const FirewallBackend = z.enum(['legacy', 'nft-compat', 'nftables']);
export type FirewallBackend = z.infer<typeof FirewallBackend>;

/** nftables' address families; iptables' tables are `ip` (iptables) or `ip6` (ip6tables). */
export const FirewallFamily = z.enum(['ip', 'ip6', 'inet', 'arp', 'bridge', 'netdev']);
export type FirewallFamily = z.infer<typeof FirewallFamily>;

export const RuleOwner = z.enum(['docker', 'podman', 'lxc', 'netloom', 'kube', 'firewalld', 'libvirt', 'user']);
export type RuleOwner = z.infer<typeof RuleOwner>;

/** The five IP hooks, and netdev's ingress/egress. */
export const FirewallHook = z.enum(['prerouting', 'input', 'forward', 'output', 'postrouting', 'ingress', 'egress']);
export type FirewallHook = z.infer<typeof FirewallHook>;

/** A JSON value as libnftables prints it: nftables rules travel undecoded, the helper interprets them. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A plain loop, not zod's recursive union: nftables rules are thousands of small trees (10× faster). */
export function isJsonValue(v: unknown, depth = 0): v is JsonValue {
  if (depth > 64) return false;
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return true;
  if (typeof v === 'number') return Number.isFinite(v);
  if (Array.isArray(v)) return v.every((x) => isJsonValue(x, depth + 1));
  if (typeof v !== 'object' || Object.getPrototypeOf(v) !== Object.prototype) return false;
  for (const x of Object.values(v)) if (!isJsonValue(x, depth + 1)) return false;
  return true;
}
export const JsonValue = z.custom<JsonValue>((v) => isJsonValue(v), { message: 'not a JSON value' });

/** One table of one source in one namespace. */
export const FirewallTable = z.object({
  ns: z.string(),
  backend: FirewallBackend,
  family: FirewallFamily,
  name: z.string(),
  owner: RuleOwner,
  /** What told the owner: "table name docker-bridges", "comment netavark …". */
  ownerWhy: z.string().optional(),
  /** nftables' handle (nftables and nft-compat tables). */
  handle: z.number().int().optional(),
});
export type FirewallTable = z.infer<typeof FirewallTable>;

/** An nftables set or map, with its elements as nft prints them (`10.0.0.0/24`, `80-90`, `10.0.0.2 . 80`). */
export const FirewallSetElement = z.object({ key: z.string(), value: z.string().optional() });
export const FirewallSet = z.object({
  ns: z.string(),
  family: FirewallFamily,
  table: z.string(),
  name: z.string(),
  /** `set`, `map` (data), or `vmap` (verdicts). */
  kind: z.enum(['set', 'map', 'vmap']),
  /** Key type (`ipv4_addr`, `ipv4_addr . inet_service`…). */
  keyType: z.string(),
  /** Data type of a map (`verdict`, `ipv4_addr . inet_service`…). */
  dataType: z.string().nullable(),
  flags: z.array(z.string()),
  elements: z.array(FirewallSetElement),
  /** The elements as libnftables printed them, for the helper's evaluation. */
  raw: z.array(JsonValue).optional(),
});
export type FirewallSet = z.infer<typeof FirewallSet>;

/** One `ip rule` (policy routing), as the kernel holds it. */
export const IpRule = z.object({
  family: z.union([z.literal(4), z.literal(6)]),
  priority: z.number().int(),
  not: z.boolean().optional(),
  src: z.string().nullable(),
  dst: z.string().nullable(),
  iif: z.string().nullable(),
  oif: z.string().nullable(),
  fwmark: z.number().int().nullable(),
  fwmask: z.number().int().nullable(),
  /** Selectors netloom does not evaluate (uidrange, ipproto, ports, tos, l3mdev…), as text. */
  other: z.array(z.string()).optional(),
  action: z.enum(['lookup', 'goto', 'nop', 'blackhole', 'unreachable', 'prohibit', 'other']),
  /** Table name or number (lookup). */
  table: z.string().nullable(),
  /** Target priority of a goto. */
  goto: z.number().int().nullable().optional(),
  /** `suppress_prefixlength N`: a lookup result with a prefix this short or shorter is ignored. */
  suppressPrefixlen: z.number().int().nullable().optional(),
});
export type IpRule = z.infer<typeof IpRule>;

/** Per-namespace sysctls routing depends on: rp_filter (0 off, 1 strict, 2 loose) and route_localnet. */
export const NetSysctls = z.object({
  rpFilter: z.object({ all: z.number().int().nullable(), byIface: z.record(z.string(), z.number().int()) }),
  routeLocalnet: z.object({ all: z.boolean().nullable(), byIface: z.record(z.string(), z.boolean()) }),
});
export type NetSysctls = z.infer<typeof NetSysctls>;

/** `firewall.counters`: every rule's and chain's figures in one namespace, read now (the rules view polls it while open). */
export const FirewallCountersParams = z.strictObject({ ns: z.string().regex(/^ns:\d+$/, 'a namespace id (ns:<inode>)') });
const Where = { backend: FirewallBackend, family: FirewallFamily, table: z.string(), chain: z.string() };
export const FirewallCounters = z.object({
  takenAt: z.string(),
  /** `index`: the rule's place in its chain (0-based), as in the snapshot's order; `handle` for nftables. */
  rules: z.array(z.object({ ...Where, index: z.number().int(), handle: z.number().int().optional(), packets: z.number(), bytes: z.number() })),
  chains: z.array(z.object({ ...Where, packets: z.number(), bytes: z.number() })),
});
export type FirewallCounters = z.infer<typeof FirewallCounters>;
