import type { NsTarget } from '../discover/ns-target.js';
import type { NsFirewallLists } from '../firewall/assemble.js';
import type { Writer } from '../firewall/writer-choice.js';
import type { NftOwnState } from './nft-own.js';
import type { DnatClaim } from './dnat-claims.js';

/**
 * What compilation knows of the system: read just before compiling (read-context.ts) or built
 * from a snapshot. Compilation is pure: it copies this into a working state and plays every
 * intent on it, so a later intent sees the bridge an earlier one created.
 */
export interface LinkState {
  name: string;
  /** The kernel's kind (`bridge`, `veth`…), or null for a plain device. */
  kind: string | null;
  up: boolean;
  mtu: number;
  /** The bridge's name, or null. */
  master: string | null;
  addresses: string[];
  /** Bridge-port hairpin mode (null: not a bridge port, or unknown). */
  hairpin?: boolean | null;
  /** net.ipv4.conf.<name>.route_localnet, read only for plans that map ports or remove rules (null: unknown). */
  routeLocalnet?: boolean | null;
}

export interface IptablesRule {
  table: string;
  chain: string;
  /** As iptables-save prints it, without `-A CHAIN`. */
  spec: string;
}

export interface IptablesState {
  /** `table` → chain names present (built-in and user chains). */
  chains: Record<string, string[]>;
  rules: IptablesRule[];
}

export interface NsState {
  target: NsTarget;
  links: LinkState[];
  /** net.ipv4.ip_forward, when read. */
  ipForward: boolean | null;
  /** net.ipv4.conf.all.route_localnet, when read. */
  routeLocalnet: boolean | null;
  /** net.ipv4.conf.default.route_localnet: what a link this plan creates starts with (localnet.ts). */
  defaultRouteLocalnet?: boolean | null;
  /** null when it was not read (then no iptables intent may touch this namespace). */
  iptables: IptablesState | null;
  /** Where netloom's rules go here and what else filters here; absent: iptables, nothing else known. */
  firewall?: FirewallState;
}

export interface FirewallState {
  writer: Writer;
  /** netloom's own nftables table (null: nft could not be asked). */
  nft: NftOwnState | null;
  /** Every source's rules, for the plan's warnings; null when not read. */
  lists: NsFirewallLists | null;
  /** The backend `iptables-restore` writes to here. */
  iptablesBackend?: 'legacy' | 'nft-compat';
  /** Port mappings this plan adds to netloom's nftables table (for conflicts within the plan). */
  planned?: DnatClaim[];
}

export interface PlanContext {
  /** Every namespace compilation may refer to; the one with target.own is the host. */
  namespaces: NsState[];
}

export function cloneContext(ctx: PlanContext): PlanContext {
  return {
    namespaces: ctx.namespaces.map((n) => ({
      target: { ...n.target },
      links: n.links.map((l) => ({ ...l, addresses: [...l.addresses] })),
      ipForward: n.ipForward,
      routeLocalnet: n.routeLocalnet,
      ...(n.defaultRouteLocalnet !== undefined ? { defaultRouteLocalnet: n.defaultRouteLocalnet } : {}),
      iptables: n.iptables === null ? null : { chains: Object.fromEntries(Object.entries(n.iptables.chains).map(([k, v]) => [k, [...v]])), rules: n.iptables.rules.map((r) => ({ ...r })) },
      ...(n.firewall ? { firewall: { ...n.firewall, planned: [...(n.firewall.planned ?? [])], nft: n.firewall.nft === null ? null : { before: n.firewall.nft.before, rules: n.firewall.nft.rules.map((r) => ({ ...r })) } } } : {}),
    })),
  };
}

/** An empty iptables state: only the built-in chains of nat and filter. */
export function freshIptables(): IptablesState {
  return {
    chains: { nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'], filter: ['INPUT', 'FORWARD', 'OUTPUT'] },
    rules: [],
  };
}
