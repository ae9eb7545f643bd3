import { z } from 'zod';
import { invalidFromZod } from './errors.js';

/**
 * Intents contract, version 1 (DESIGN §5): what a client may ask the helper to change.
 * Every string that later becomes an argv element is checked here, before any program runs.
 */
export const INTENTS_VERSION = 1 as const;

/**
 * Interface names. The kernel (dev_valid_name) allows 1–15 bytes without `/`, `:` or white
 * space, and not "." or "..". We are stricter on purpose (defense in depth — the helper never
 * uses a shell, but names are echoed into the commands we show people to copy): only letters,
 * digits, `_`, `.`, `-`, and never a leading `-`, which `ip` would read as an option.
 */
const NAME_CHARS = /^[A-Za-z0-9_.-]+$/;
const nameRules = (max: number, what: string) =>
  z
    .string()
    .min(1, `${what} is empty`)
    .max(max, `${what} is longer than ${max} characters`)
    .refine((s) => NAME_CHARS.test(s), `${what} may hold only letters, digits, "_", "." and "-"`)
    .refine((s) => !s.startsWith('-'), `${what} may not start with "-"`)
    .refine((s) => s !== '.' && s !== '..', `${what} may not be "." or ".."`);

export const IfName = nameRules(15, 'an interface name');
/** `ip netns` names: the same characters; the 15-character limit is an interface-name limit, so 64 here. */
export const NetnsName = nameRules(64, 'a namespace name');
/** A /run/netns name or a namespace id `ns:<inode>`; left out = the helper's (host) namespace. */
export const NsRef = z.union([z.string().regex(/^ns:[0-9]{1,20}$/), NetnsName], {
  error: 'must be a /run/netns name or a namespace id "ns:<inode>"',
});
/** iptables `-o` accepts a trailing `+` as a wildcard (`veth+`). */
export const OutDev = z
  .string()
  .regex(/^[A-Za-z0-9_.][A-Za-z0-9_.-]{0,13}[A-Za-z0-9_.+-]?$/, 'must be an interface name, optionally ending in "+" (iptables wildcard)');

export function isIPv4(s: string): boolean {
  const parts = s.split('.');
  return parts.length === 4 && parts.every((p) => /^(0|[1-9][0-9]{0,2})$/.test(p) && Number(p) <= 255);
}

export function isIPv6(s: string): boolean {
  if (!/^[0-9A-Fa-f:.]+$/.test(s) || s.length > 45) return false;
  const halves = s.split('::');
  if (halves.length > 2) return false;
  let count = 0;
  for (const [h, half] of halves.entries()) {
    if (half === '') continue;
    const groups = half.split(':');
    for (const [i, g] of groups.entries()) {
      // An embedded IPv4 tail ("::ffff:10.0.0.1") counts as two groups and must come last.
      if (h === halves.length - 1 && i === groups.length - 1 && g.includes('.')) {
        if (!isIPv4(g)) return false;
        count += 2;
      } else if (/^[0-9A-Fa-f]{1,4}$/.test(g)) count += 1;
      else return false;
    }
  }
  return halves.length === 2 ? count <= 7 : count === 8;
}

export function isCidr(s: string, family?: 4 | 6): boolean {
  const slash = s.indexOf('/');
  if (slash < 0) return false;
  const ip = s.slice(0, slash);
  const len = s.slice(slash + 1);
  if (!/^(0|[1-9][0-9]{0,2})$/.test(len)) return false;
  if (family !== 6 && isIPv4(ip)) return Number(len) <= 32;
  if (family !== 4 && isIPv6(ip)) return Number(len) <= 128;
  return false;
}

export const IPv4 = z.string().refine(isIPv4, 'must be an IPv4 address (four numbers 0–255)');
export const IPAddress = z.string().refine((s) => isIPv4(s) || isIPv6(s), 'must be an IPv4 or IPv6 address');
export const Cidr = z.string().refine((s) => isCidr(s), 'must be a CIDR such as 10.0.0.1/24 (IPv4 prefix ≤ 32, IPv6 ≤ 128)');
/** iptables (not ip6tables) writes netloom's NAT: IPv4 only. */
export const Cidr4 = z.string().refine((s) => isCidr(s, 4), 'must be an IPv4 CIDR such as 10.0.0.0/24 (octets ≤ 255, prefix ≤ 32)');
export const Port = z.number().int('must be a whole number').min(1, 'must be a port 1–65535').max(65535, 'must be a port 1–65535');
/** A netloom rule id: short, lowercase hex (see newRuleId). */
export const RuleId = z.string().regex(/^[0-9a-f]{6,16}$/, 'must be a netloom rule id (6–16 lowercase hex digits)');

const ns = NsRef.optional();

export const NetnsCreate = z.strictObject({ op: z.literal('netns.create'), name: NetnsName });
export const NetnsDelete = z.strictObject({ op: z.literal('netns.delete'), name: NetnsName });
export const BridgeCreate = z.strictObject({ op: z.literal('bridge.create'), name: IfName, ns });
export const VethEnd = z.strictObject({ name: IfName, ns });
export const VethCreate = z.strictObject({ op: z.literal('veth.create'), a: VethEnd, b: VethEnd });
export const LinkSet = z
  .strictObject({
    op: z.literal('link.set'),
    name: IfName,
    ns,
    up: z.boolean().optional(),
    master: IfName.nullable().optional(),
    mtu: z.number().int('must be a whole number').min(68, 'must be at least 68').max(65535, 'must be at most 65535').optional(),
    /** Additive to contract v1: a new name for the link (done last; the kernel wants it down meanwhile). */
    rename: IfName.optional(),
  })
  .refine((v) => v.up !== undefined || v.master !== undefined || v.mtu !== undefined || v.rename !== undefined, {
    message: 'says nothing to change: give up, master, mtu or rename',
  });
export const LinkDelete = z.strictObject({ op: z.literal('link.delete'), name: IfName, ns });
export const AddrAdd = z.strictObject({ op: z.literal('addr.add'), dev: IfName, cidr: Cidr, ns });
export const AddrDelete = z.strictObject({ op: z.literal('addr.delete'), dev: IfName, cidr: Cidr, ns });
const RouteDst = z.union([z.literal('default'), Cidr], { error: 'must be a CIDR or "default"' });
const routeShape = { dst: RouteDst, via: IPAddress.optional(), dev: IfName.optional(), ns };
const needsViaOrDev = { message: 'needs via or dev', path: ['via'] };
export const RouteAdd = z.strictObject({ op: z.literal('route.add'), ...routeShape }).refine((r) => r.via !== undefined || r.dev !== undefined, needsViaOrDev);
export const RouteDelete = z.strictObject({ op: z.literal('route.delete'), ...routeShape }).refine((r) => r.via !== undefined || r.dev !== undefined, needsViaOrDev);
export const ForwardingSet = z.strictObject({ op: z.literal('forwarding.set'), enabled: z.boolean(), ns });
export const MasqueradeAdd = z.strictObject({
  op: z.literal('nat.masquerade.add'),
  source: Cidr4,
  outDev: OutDev.optional(),
  notDestination: Cidr4.optional(),
  ns,
});
/** The widest host port range one mapping takes. */
export const MAX_PORT_RANGE = 1024;
export const PortmapAdd = z.strictObject({
  op: z.literal('portmap.add'),
  proto: z.enum(['tcp', 'udp']),
  hostPort: Port,
  targetIp: IPv4,
  targetPort: Port,
  /** One host address; left out (or 0.0.0.0) = every local address. */
  hostIp: IPv4.optional(),
  /** Reachable from the host itself too (an OUTPUT-path DNAT). */
  localAccess: z.boolean().optional(),
  /** Additive to contract v1: the last host port of a range; host port P maps to targetPort + (P - hostPort). */
  hostPortEnd: Port.optional(),
  ns,
})
  .refine((p) => p.hostPortEnd === undefined || p.hostPortEnd >= p.hostPort, { message: 'must not be below hostPort', path: ['hostPortEnd'] })
  .refine((p) => p.hostPortEnd === undefined || p.hostPortEnd - p.hostPort < MAX_PORT_RANGE, { message: `a range holds at most ${MAX_PORT_RANGE} ports`, path: ['hostPortEnd'] })
  .refine((p) => p.targetPort + ((p.hostPortEnd ?? p.hostPort) - p.hostPort) <= 65535, { message: 'the range would run past target port 65535', path: ['targetPort'] });
/**
 * Additive to contract v1 (issue 7): let forwarded traffic from `source` (to `destination`)
 * through the FORWARD chain, and its replies back — an ACCEPT pair in netloom's own
 * NETLOOM-FORWARD chain, tagged `netloom:<id>` (so `rule.remove` takes it away) → returns `id`.
 */
export const ForwardAllow = z.strictObject({ op: z.literal('forward.allow'), source: Cidr4, destination: Cidr4.optional(), ns });
/** Removes the rules netloom tagged `netloom:<id>`. `ns` (an addition to the v1 table) narrows the search. */
export const RuleRemove = z.strictObject({ op: z.literal('rule.remove'), id: RuleId, ns });

export const Intent = z.discriminatedUnion('op', [
  NetnsCreate,
  NetnsDelete,
  BridgeCreate,
  VethCreate,
  LinkSet,
  LinkDelete,
  AddrAdd,
  AddrDelete,
  RouteAdd,
  RouteDelete,
  ForwardingSet,
  MasqueradeAdd,
  PortmapAdd,
  RuleRemove,
  ForwardAllow,
]);
export type Intent = z.infer<typeof Intent>;
export type IntentOp = Intent['op'];
export type IntentOf<O extends IntentOp> = Extract<Intent, { op: O }>;

export const MAX_INTENTS = 2000;
export const IntentsDocument = z.strictObject({
  intents: z.array(Intent).min(1, 'holds no intents').max(MAX_INTENTS, `holds more than ${MAX_INTENTS} intents`),
});

/** `{"intents": […]}` or a bare array → intents, or ProtocolError('invalid') naming the field (e.g. `intents.2.name`). */
export function parseIntents(input: unknown): Intent[] {
  const doc = Array.isArray(input) ? { intents: input } : input;
  const parsed = IntentsDocument.safeParse(doc);
  if (!parsed.success) throw invalidFromZod(parsed.error);
  return parsed.data.intents;
}
