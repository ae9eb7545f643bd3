import { z } from 'zod';
import type { InterfaceKind, InterfaceStats } from '../../protocol/src/snapshot.js';
import type { TunnelInfo } from '../../protocol/src/tunnels.js';
import { tunnelFromIpJson } from './tunnel-info.js';

/**
 * One link of `ip -json -details -statistics addr show`, before cross-namespace resolution:
 * master, peer and parent are still the kernel's references (names, ifindexes, nsids).
 */
export interface ParsedLink {
  ifindex: number;
  name: string;
  kind: InterfaceKind;
  /** The kernel's own kind (`veth`, `bridge`, `tun`…), null for plain devices. */
  linkKind: string | null;
  mac: string | null;
  mtu: number;
  up: boolean;
  operstate: string;
  flags: string[];
  addresses: string[];
  stats: InterfaceStats | null;
  /** Bridge (or bond) this link is enslaved to, by name — masters live in the same namespace. */
  masterName: string | null;
  /** The other end / lower device: `link_index` (+ `link_netnsid` when in another namespace) … */
  linkIndex: number | null;
  linkNetnsid: number | null;
  /** … or, when it is in the same namespace, ip prints its name in `link` instead of `link_index`. */
  linkName: string | null;
  vlanId: number | null;
  /** An encapsulating device's ends (VXLAN, Geneve, GRE, IPIP, WireGuard), else null. */
  tunnel: TunnelInfo | null;
}

const Stats64 = z.looseObject({
  rx: z.looseObject({ bytes: z.number(), packets: z.number(), errors: z.number(), dropped: z.number() }),
  tx: z.looseObject({ bytes: z.number(), packets: z.number(), errors: z.number(), dropped: z.number() }),
});

const AddrInfo = z.looseObject({ family: z.string().optional(), local: z.string().optional(), prefixlen: z.number().optional() });

export const IpLink = z.looseObject({
  ifindex: z.number().int(),
  ifname: z.string(),
  flags: z.array(z.string()).default([]),
  mtu: z.number().int().default(0),
  operstate: z.string().default('UNKNOWN'),
  link_type: z.string().optional(),
  address: z.string().optional(),
  master: z.string().optional(),
  link: z.string().nullable().optional(),
  link_index: z.number().int().optional(),
  link_netnsid: z.number().int().optional(),
  linkinfo: z
    .looseObject({
      info_kind: z.string().optional(),
      info_data: z.looseObject({ id: z.number().optional(), type: z.string().optional(), link: z.string().optional() }).optional(),
    })
    .optional(),
  addr_info: z.array(AddrInfo).default([]),
  stats64: Stats64.optional(),
});
export type IpLink = z.infer<typeof IpLink>;

const KIND_OF: Record<string, InterfaceKind> = {
  bridge: 'bridge',
  veth: 'veth',
  vlan: 'vlan',
  macvlan: 'macvlan',
  macvtap: 'macvlan',
  ipvlan: 'macvlan',
  ipvtap: 'macvlan',
  vxlan: 'vxlan',
  tun: 'tun',
};

export function interfaceKind(linkType: string | undefined, infoKind: string | undefined): InterfaceKind {
  if (linkType === 'loopback') return 'loopback';
  if (infoKind !== undefined) return KIND_OF[infoKind] ?? 'other';
  // No linkinfo: a physical NIC (or a driver that reports no kind).
  return linkType === 'ether' ? 'device' : 'other';
}

function statsOf(s: z.infer<typeof Stats64> | undefined): InterfaceStats | null {
  if (!s) return null;
  return {
    rxBytes: s.rx.bytes,
    txBytes: s.tx.bytes,
    rxPackets: s.rx.packets,
    txPackets: s.tx.packets,
    rxErrors: s.rx.errors,
    txErrors: s.tx.errors,
    rxDropped: s.rx.dropped,
    txDropped: s.tx.dropped,
  };
}

export function parseLink(raw: IpLink): ParsedLink {
  const infoKind = raw.linkinfo?.info_kind;
  const kind = interfaceKind(raw.link_type, infoKind);
  const addresses = raw.addr_info.flatMap((a) => (a.local !== undefined && a.prefixlen !== undefined ? [`${a.local}/${a.prefixlen}`] : []));
  // vxlan names its lower device in info_data.link rather than in `link`.
  const linkName = raw.link ?? (kind === 'vxlan' ? (raw.linkinfo?.info_data?.link ?? null) : null);
  return {
    ifindex: raw.ifindex,
    name: raw.ifname,
    kind,
    linkKind: infoKind ?? null,
    mac: raw.link_type === 'ether' && raw.address !== undefined ? raw.address : null,
    mtu: raw.mtu,
    up: raw.flags.includes('UP'),
    operstate: raw.operstate,
    flags: raw.flags,
    addresses,
    stats: statsOf(raw.stats64),
    masterName: raw.master ?? null,
    linkIndex: raw.link_index ?? null,
    linkNetnsid: raw.link_netnsid ?? null,
    linkName,
    vlanId: kind === 'vlan' ? (raw.linkinfo?.info_data?.id ?? null) : null,
    tunnel: tunnelFromIpJson(infoKind, raw.linkinfo?.info_data),
  };
}

/** Parses the JSON array `ip -json -d -s addr show` prints. Links that do not fit are skipped, not fatal. */
export function parseLinks(json: unknown): ParsedLink[] {
  if (!Array.isArray(json)) return [];
  const out: ParsedLink[] = [];
  for (const item of json) {
    const r = IpLink.safeParse(item);
    if (r.success) out.push(parseLink(r.data));
  }
  return out;
}
