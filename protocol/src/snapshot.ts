import { z } from 'zod';
import { FirewallBackend, FirewallFamily, FirewallHook, FirewallSet, FirewallTable, IpRule, JsonValue, NetSysctls, RuleOwner } from './firewall.js';
import { HostEntry } from './hosts.js';
import { TunnelEdge, TunnelInfo } from './tunnels.js';

export * from './firewall.js';

/** Snapshot contract, version 1 (DESIGN §3). New fields may be added; existing ones keep their meaning. */
export const SNAPSHOT_VERSION = 1 as const;

export const NamespaceKind = z.enum(['host', 'named', 'container', 'process']);
export type NamespaceKind = z.infer<typeof NamespaceKind>;

export const ContainerInfo = z.object({
  runtime: z.string(),
  id: z.string(),
  name: z.string(),
  image: z.string().optional(),
  networks: z.array(z.string()).optional(),
  /** Extra: the container's main process as the runtime reports it. */
  pid: z.number().int().optional(),
  /** Extra: the container's place on each runtime network (address as CIDR). */
  endpoints: z
    .array(z.object({ network: z.string(), ip: z.string().nullable(), gateway: z.string().nullable(), mac: z.string().nullable() }))
    .optional(),
  /**
   * Extra (issue 14): a Kubernetes pod named from the CRI (containerd's or CRI-O's socket). The
   * namespace is the pod sandbox's (`/run/netns/cni-…`); `name` is then "pod NAMESPACE/NAME",
   * `id` the sandbox id, `pid` the sandbox (pause) process, `networks` its CNI network.
   */
  pod: z
    .object({
      namespace: z.string(),
      name: z.string(),
      uid: z.string(),
      /** The pod's containers as the CRI lists them (all share the pod's network namespace). */
      containers: z.array(z.object({ id: z.string(), name: z.string(), image: z.string(), state: z.enum(['created', 'running', 'exited', 'unknown']) })),
    })
    .optional(),
});
export type ContainerInfo = z.infer<typeof ContainerInfo>;

export const ProcessInfo = z.object({ pid: z.number().int(), command: z.string() });

export const Namespace = z.object({
  id: z.string(),
  inode: z.number().int(),
  name: z.string().nullable(),
  kind: NamespaceKind,
  pids: z.array(z.number().int()),
  container: ContainerInfo.nullable(),
  ipForward: z.boolean().nullable(),
  /** Extra: pid and command of each process, for the inspector. */
  processes: z.array(ProcessInfo).optional(),
  /** Extra: why this namespace could not be read completely, if it could not. */
  error: z.string().nullable().optional(),
  /** Extra: policy routing rules (`ip rule`, both families); absent when not read. */
  ipRules: z.array(IpRule).optional(),
  /** Extra: rp_filter and route_localnet; absent when not read. */
  sysctls: NetSysctls.optional(),
  /** Extra: firewall sources that exist here but could not be read (Explain then says "unknown"). */
  firewallUnread: z.array(z.string()).optional(),
});
export type Namespace = z.infer<typeof Namespace>;

export const InterfaceKind = z.enum(['loopback', 'bridge', 'veth', 'device', 'vlan', 'macvlan', 'vxlan', 'tun', 'other']);
export type InterfaceKind = z.infer<typeof InterfaceKind>;

export const InterfaceStats = z.object({
  rxBytes: z.number(),
  txBytes: z.number(),
  rxPackets: z.number(),
  txPackets: z.number(),
  rxErrors: z.number(),
  txErrors: z.number(),
  rxDropped: z.number(),
  txDropped: z.number(),
});
export type InterfaceStats = z.infer<typeof InterfaceStats>;

export const Interface = z.object({
  id: z.string(),
  ns: z.string(),
  ifindex: z.number().int(),
  name: z.string(),
  kind: InterfaceKind,
  mac: z.string().nullable(),
  mtu: z.number().int(),
  up: z.boolean(),
  operstate: z.string(),
  addresses: z.array(z.string()),
  master: z.string().nullable(),
  peer: z.string().nullable(),
  stats: InterfaceStats.nullable(),
  /** Extra: the kernel's own kind name ("wireguard", "dummy"…), when `kind` is a family. */
  linkKind: z.string().nullable().optional(),
  /** Extra: the lower device of a vlan/macvlan/vxlan (interface id), when resolvable. */
  parent: z.string().nullable().optional(),
  /** Extra: the kernel's flags (UP, LOWER_UP, NO-CARRIER…). */
  flags: z.array(z.string()).optional(),
  vlanId: z.number().int().optional(),
  /** Extra: an encapsulating device's tunnel (VXLAN VNI, remote, dstport, fdb; GRE/IPIP ends; WireGuard peers). */
  tunnel: TunnelInfo.optional(),
});
export type Interface = z.infer<typeof Interface>;

export const Route = z.object({
  ns: z.string(),
  table: z.string(),
  dst: z.string(),
  gateway: z.string().nullable(),
  dev: z.string().nullable(),
  src: z.string().nullable(),
  protocol: z.string().nullable(),
  scope: z.string().nullable(),
  metric: z.number().nullable(),
  /** Extra: `unicast`, `local`, `broadcast`, `blackhole`… */
  type: z.string().optional(),
  family: z.union([z.literal(4), z.literal(6)]).optional(),
});
export type Route = z.infer<typeof Route>;

export const Rule = z.object({
  ns: z.string(),
  table: z.string(),
  chain: z.string(),
  spec: z.string(),
  owner: RuleOwner,
  packets: z.number(),
  bytes: z.number(),
  /** Extra: the rule's target (`ACCEPT`, `DNAT`, a chain name…; nftables: `accept`, `jump X`, `dnat`…). */
  target: z.string().nullable().optional(),
  /** Extra: where the rule lives (absent: iptables as `iptables-save` showed it, family ip). */
  backend: FirewallBackend.optional(),
  family: FirewallFamily.optional(),
  /** Extra: nftables' rule handle. */
  handle: z.number().int().optional(),
  /** Extra: the id netloom tagged the rule with (`netloom:<id>`), or null. */
  netloomId: z.string().nullable().optional(),
  /** Extra (nftables): the rule's expressions as libnftables JSON; `spec` is their nft text. */
  expr: z.array(JsonValue).optional(),
});
export type Rule = z.infer<typeof Rule>;

/** Extra: every chain with its policy, so empty chains and policies show in the rules view. */
export const Chain = z.object({
  ns: z.string(),
  table: z.string(),
  chain: z.string(),
  policy: z.string().nullable(),
  packets: z.number(),
  bytes: z.number(),
  owner: RuleOwner,
  /** Extra: what a runtime's chain is for, in a sentence (DOCKER, DOCKER-USER, DOCKER-ISOLATION-STAGE-1/2…). */
  explanation: z.string().optional(),
  backend: FirewallBackend.optional(),
  family: FirewallFamily.optional(),
  /** Extra: a base chain's hook, priority and type (`filter`, `nat`, `route`); null for a regular chain. */
  hook: FirewallHook.nullable().optional(),
  priority: z.number().int().nullable().optional(),
  type: z.string().nullable().optional(),
});
export type Chain = z.infer<typeof Chain>;

export const PortMapping = z.object({
  ns: z.string(),
  proto: z.enum(['tcp', 'udp', 'sctp']),
  hostIp: z.string().nullable(),
  hostPort: z.number().int(),
  /** Extra: the end of a port range (`--dport 8000:8010`). */
  hostPortEnd: z.number().int().optional(),
  targetIp: z.string(),
  targetPort: z.number().int().nullable(),
  targetInterface: z.string().nullable(),
  chains: z.array(z.string()),
  localAccess: z.boolean(),
  owner: RuleOwner,
  /** Extra: pids of the runtime's userland proxies (docker-proxy) that also serve this mapping. */
  proxyPids: z.array(z.number().int()).optional(),
  /** Extra: the id netloom tagged its rules with, for a mapping netloom made (rule.remove takes it). */
  netloomId: z.string().nullable().optional(),
  /** Extra: where the DNAT lives (absent: iptables). */
  backend: FirewallBackend.optional(),
  /** Extra: the table (nftables: `family name`) the DNAT is in. */
  table: z.string().optional(),
  /** Extra: a REDIRECT to a port of the host itself (firewalld's forward-port without toaddr): targetIp is then the host address. */
  redirect: z.boolean().optional(),
});
export type PortMapping = z.infer<typeof PortMapping>;

export const HostInfo = z.object({
  hostname: z.string(),
  kernel: z.string(),
  iptables: z.enum(['nft', 'legacy']).nullable(),
  /** Extra: whether the helper could see every namespace (root). */
  privileged: z.boolean().optional(),
});

/** Extra: a network as a container runtime names it (Docker's "bridge", a podman network, lxcbr0). */
export const RuntimeNetwork = z.object({
  runtime: z.string(),
  name: z.string(),
  id: z.string(),
  driver: z.string(),
  /** The bridge's kernel name (docker0, br-…, lxcbr0) and its interface id in the host namespace, when it exists. */
  bridgeName: z.string().nullable(),
  bridge: z.string().nullable(),
  subnet: z.string().nullable(),
  gateway: z.string().nullable(),
  options: z.record(z.string(), z.string()),
  /** Plain sentences: what the network is and what its options do. */
  explanation: z.array(z.string()),
});
export type RuntimeNetwork = z.infer<typeof RuntimeNetwork>;

export const Notice = z.object({ level: z.enum(['info', 'warning']), message: z.string() });
export type Notice = z.infer<typeof Notice>;

export const Snapshot = z.object({
  version: z.literal(SNAPSHOT_VERSION),
  takenAt: z.string(),
  host: HostInfo,
  namespaces: z.array(Namespace),
  interfaces: z.array(Interface),
  routes: z.array(Route),
  rules: z.array(Rule),
  portMappings: z.array(PortMapping),
  chains: z.array(Chain).optional(),
  /** Extra: things the user should know (no root, a runtime unavailable…). */
  notices: z.array(Notice).optional(),
  runtimeNetworks: z.array(RuntimeNetwork).optional(),
  /** Extra: every firewall table of every source (legacy, nft-compat, nftables), with its owner. */
  firewallTables: z.array(FirewallTable).optional(),
  /** Extra: nftables sets and maps. */
  sets: z.array(FirewallSet).optional(),
  /** Extra (several hosts on one canvas): every host, its state; remote hosts' ids are `host:NAME/…`. */
  hosts: z.array(HostEntry).optional(),
  /** Extra (several hosts): tunnel devices joined to the other host's device or to a remote address. */
  tunnels: z.array(TunnelEdge).optional(),
});
export type Snapshot = z.infer<typeof Snapshot>;

export const nsIdOf = (inode: number): string => `ns:${inode}`;
export const ifaceIdOf = (nsId: string, ifindex: number): string => `${nsId}/${ifindex}`;
