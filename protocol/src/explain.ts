import { z } from 'zod';
import { FirewallBackend, FirewallFamily, FirewallHook } from './firewall.js';
import { IPAddress, Intent, NsRef, Port } from './intents.js';

/**
 * Explain (issue 7): why a packet gets through or not. The helper traces a request and its
 * response through the snapshot's routes, rules and port mappings, hop by hop, names what
 * decides each hop, and turns every problem it finds into a plan of intents the user can
 * preview and apply. A probe then checks the prediction for real.
 */

/** Where a packet starts or ends. */
export const ExplainEndpoint = z.discriminatedUnion('kind', [
  /** A namespace (by /run/netns name or id), optionally one of its addresses; left out = its first global address. */
  z.strictObject({ kind: z.literal('ns'), ns: NsRef, ip: IPAddress.optional() }),
  /**
   * An address outside this host (as a source: a client on the uplink; as a destination: the
   * internet). `via` (a source only): the interface its packets come in by — a tunnel's end when
   * the client is on another host beyond it (Explain across hosts, issue 14).
   */
  z.strictObject({ kind: z.literal('address'), ip: IPAddress, via: z.string().regex(/^ns:\d+\/\d+$/, 'an interface id looks like ns:<inode>/<ifindex>').optional() }),
  /** A destination only: a port on the host as an outside client sees it (the port mappings' side). */
  z.strictObject({ kind: z.literal('hostPort'), port: Port, ip: IPAddress.optional() }),
]);
export type ExplainEndpoint = z.infer<typeof ExplainEndpoint>;

export const ExplainProto = z.enum(['icmp', 'tcp', 'udp']);
export type ExplainProto = z.infer<typeof ExplainProto>;

export const ExplainParams = z
  .strictObject({
    src: ExplainEndpoint,
    dst: ExplainEndpoint,
    proto: ExplainProto.default('icmp'),
    /** Destination port (tcp/udp); for a hostPort destination it is that port. */
    port: Port.optional(),
  })
  .refine((p) => p.src.kind !== 'hostPort', { message: 'a host port can only be a destination', path: ['src'] })
  .refine((p) => p.proto === 'icmp' || p.port !== undefined || p.dst.kind === 'hostPort', {
    message: 'tcp and udp need a port',
    path: ['port'],
  });
export type ExplainParams = z.input<typeof ExplainParams>;

/** What a rule or route reference points at, so the UI can jump to it. */
/** Where a firewall rule or chain lives (absent: iptables as `iptables-save` shows it). */
const Source = { backend: FirewallBackend.optional(), family: FirewallFamily.optional() };

export const HopDecider = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('route'), ns: z.string(), table: z.string(), dst: z.string(), text: z.string() }),
  z.object({ kind: z.literal('rule'), ns: z.string(), table: z.string(), chain: z.string(), spec: z.string(), ...Source, handle: z.number().int().optional() }),
  /** A chain's policy decided (no rule matched). */
  z.object({ kind: z.literal('policy'), ns: z.string(), table: z.string(), chain: z.string(), policy: z.string(), ...Source }),
  /** A policy routing rule (`ip rule`) decided. */
  z.object({ kind: z.literal('ipRule'), ns: z.string(), priority: z.number().int(), text: z.string() }),
  z.object({ kind: z.literal('portMapping'), ns: z.string(), proto: z.string(), hostPort: z.number().int() }),
  /** A kernel setting (ip_forward, route_localnet…) or a link's state. */
  z.object({ kind: z.literal('setting'), ns: z.string(), name: z.string(), value: z.string() }),
]);
export type HopDecider = z.infer<typeof HopDecider>;

export const HopStage = z.enum([
  'send', // the packet leaves a socket in the source namespace
  'output', // OUTPUT chains (nat, filter) of the namespace that sends
  'route', // a routing decision
  'veth', // crosses a veth pair
  'bridge', // forwarded by a bridge
  'prerouting', // PREROUTING (DNAT)
  'forward', // FORWARD (filter)
  'input', // INPUT (filter) of the namespace that receives
  'postrouting', // POSTROUTING (SNAT / MASQUERADE)
  'uplink', // leaves the host by its uplink
  'conntrack', // reverse translation of a reply
  'deliver', // reaches a socket in the destination namespace
]);
export type HopStage = z.infer<typeof HopStage>;

export const Hop = z.object({
  stage: HopStage,
  /** Namespace id where the hop happens. */
  ns: z.string(),
  /** Interface ids the packet goes in by / out by, when the hop has them; the canvas draws these. */
  inIface: z.string().nullable(),
  outIface: z.string().nullable(),
  /** Addresses as the packet carries them after this hop (translations show here). */
  src: z.string(),
  dst: z.string(),
  verdict: z.enum(['pass', 'drop', 'unknown']),
  /** One plain sentence: "routed by default via 10.0.0.1 dev veth0". */
  text: z.string(),
  decidedBy: HopDecider.nullable(),
});
export type Hop = z.infer<typeof Hop>;

export const FindingCode = z.enum([
  'loopback-down',
  'link-down',
  'no-route',
  'no-default-route',
  'no-route-back',
  'forwarding-off',
  'forward-drop',
  'input-drop',
  /** Dropped on its way out of the namespace that sends it (OUTPUT). */
  'output-drop',
  /** Dropped as it comes in, before routing (raw/mangle/nftables at prerouting). */
  'prerouting-drop',
  /** Dropped as it leaves, after routing (mangle/nftables at postrouting). */
  'postrouting-drop',
  /** `ip rule` sends it to a table that refuses it or routes it elsewhere. */
  'policy-routing',
  /** Reverse-path filtering drops it: the way back to its source is another interface. */
  'rp-filter',
  /** A socket listens on the port, but bound to another address. */
  'listener-bound',
  /** 127.0.0.1 traffic DNATed off the loopback needs route_localnet. */
  'route-localnet',
  /** A veth end is not plugged into the bridge its addresses belong to. */
  'not-on-bridge',
  /** A firewall source exists but could not be read: netloom cannot say. */
  'firewall-unread',
  /** conntrack decided the connection's NAT at an earlier (bridged) pass: a MASQUERADE/DNAT on the way is skipped. */
  'nat-skipped',
  'no-masquerade',
  'no-dnat',
  'dnat-prerouting-only',
  'docker-icc',
  'docker-isolation',
  'wrong-subnet',
  'host-port-taken',
  'family-mismatch',
  'no-address',
]);
export type FindingCode = z.infer<typeof FindingCode>;

/** A fix: intents the helper can compile into a plan (previewed as commands before it runs). */
export const FixPlan = z.object({ summary: z.string(), intents: z.array(Intent).min(1) });
export type FixPlan = z.infer<typeof FixPlan>;

export const Finding = z.object({
  code: FindingCode,
  severity: z.enum(['error', 'warning', 'info']),
  ns: z.string().nullable(),
  /** Interface id it concerns, when there is one (the canvas marks it). */
  iface: z.string().nullable(),
  /** Plain words: what is wrong and what it does to the packet. */
  message: z.string(),
  decidedBy: HopDecider.nullable(),
  /** null when there is no safe automatic fix; `manual` then says what a person can do. */
  fix: FixPlan.nullable(),
  manual: z.string().optional(),
});
export type Finding = z.infer<typeof Finding>;

export const ResolvedEndpoint = z.object({
  /** Namespace id, or null for an address outside the host. */
  ns: z.string().nullable(),
  ip: z.string().nullable(),
  label: z.string(),
});

export const ExplainResult = z.object({
  verdict: z.enum(['reaches', 'blocked', 'unknown']),
  /** One sentence for the whole answer. */
  summary: z.string(),
  src: ResolvedEndpoint,
  dst: ResolvedEndpoint,
  proto: ExplainProto,
  port: z.number().int().nullable(),
  request: z.array(Hop),
  /** Empty when the request never arrives. */
  response: z.array(Hop),
  findings: z.array(Finding),
});
export type ExplainResult = z.infer<typeof ExplainResult>;

/** A bounded real test from inside the source namespace. */
export const ProbeParams = z.strictObject({
  src: ExplainEndpoint,
  dst: ExplainEndpoint,
  proto: ExplainProto.default('icmp'),
  port: Port.optional(),
  /** Required to probe an address that no namespace on this host holds. */
  allowOutside: z.boolean().optional(),
  /**
   * Confirm by the kernel (issue 12): run the probe with scoped nftables tracing in each namespace
   * on the predicted path (at most 8) — a temporary `table inet netloom-trace` whose chains at the
   * prerouting and output hooks (before every other chain) set `meta nftrace` only for the probe's
   * addresses, protocol and port, both ways, and `nft monitor trace` there — and name the rules that
   * really decided. The table is owned by the helper's own `nft` process (`flags owner`), so the
   * kernel removes it when the probe ends, is cancelled, times out, or the helper dies. Refused
   * (`conflict`) where a table of that name already exists.
   */
  trace: z.boolean().optional(),
});
export type ProbeParams = z.input<typeof ProbeParams>;

/**
 * One decision nftables traced for the probe's packets: the base chain of a hook in a namespace
 * and the rule (or the chain's policy) that ended it. Repeated packets (3 pings) are one entry.
 */
export const ProbeTraceEntry = z.object({
  /** Namespace id. */
  ns: z.string(),
  hook: FirewallHook,
  /** The probe's request, or its reply. */
  direction: z.enum(['request', 'response']),
  /** The rule or policy that decided in this chain (`backend` nftables or nft-compat, `handle` set); null when it could not be named. */
  decidedBy: HopDecider.nullable(),
  /** pass: accepted (by a rule, a policy or a translation); drop: dropped or rejected; unknown: the trace ended without a verdict (queued, or cut short). */
  verdict: z.enum(['pass', 'drop', 'unknown']),
  /** One sentence: "FORWARD (iptables-nft): dropped by -A WEB -p tcp -m tcp --dport 81 -j DROP". */
  text: z.string(),
  /** How many of the probe's packets took this decision. */
  packets: z.number().int(),
});
export type ProbeTraceEntry = z.infer<typeof ProbeTraceEntry>;

export const ProbeResult = z.object({
  reached: z.boolean(),
  /** What was run, as a person would type it. */
  command: z.string(),
  /** "3/3 replies, 0.05 ms average" or "connection refused" / "timed out after 2 s". */
  detail: z.string(),
  ms: z.number(),
  /** With `trace`: every traced decision, in the order the packets met them. */
  trace: z.array(ProbeTraceEntry).optional(),
  /** With `trace`: the rule or policy that dropped the probe, as the kernel reported it; null when it reached, or no traced rule dropped it (see traceNotes). */
  decidedBy: HopDecider.nullable().optional(),
  /** With `trace`: what tracing could not see ("legacy iptables is not traced: netloom cannot confirm …", a namespace left out). */
  traceNotes: z.array(z.string()).optional(),
  /** With `trace`: the namespaces traced (ids) and the time tracing added to the probe (set up and taken down), in ms. */
  traced: z.object({ namespaces: z.array(z.string()), extraMs: z.number() }).optional(),
});
export type ProbeResult = z.infer<typeof ProbeResult>;

/** Every finding on the host at once, grouped by namespace. */
export const HealthResult = z.object({
  groups: z.array(z.object({ ns: z.string(), label: z.string(), findings: z.array(Finding) })),
  takenAt: z.string(),
});
export type HealthResult = z.infer<typeof HealthResult>;
