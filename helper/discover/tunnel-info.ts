import type { TunnelInfo, TunnelType } from '../../protocol/src/tunnels.js';
import { attributes, u32 } from './netlink/messages.js';
import { ipv4Text, ipv6Text } from './netlink/inet-text.js';

/**
 * An encapsulating device's tunnel, from `ip -json -details link` (info_data) or from the
 * kernel's own IFLA_INFO_DATA attributes (netloom-nsread): both paths give the same answer,
 * which test/integration/netlink-reader.test.ts checks on a real VXLAN.
 */
const TYPES = new Set<string>(['vxlan', 'geneve', 'gre', 'gretap', 'ipip', 'sit', 'ip6gre', 'ip6tnl', 'wireguard']);

export function isTunnelKind(kind: string | undefined | null): kind is TunnelType {
  return kind !== undefined && kind !== null && TYPES.has(kind);
}

const blank = (type: TunnelType): TunnelInfo => ({ type, vni: null, local: null, remote: null, group: null, dstPort: null });

const isMulticast = (a: string): boolean => /^(22[4-9]|23\d)\./.test(a) || /^ff/i.test(a);

/** `any` and the zero addresses mean "not fixed". */
const fixed = (a: unknown): string | null => (typeof a === 'string' && a !== 'any' && a !== '0.0.0.0' && a !== '::' ? a : null);

/** From ip's JSON: vxlan `{id, remote|group, local, port}`, geneve `{id, remote, port}`, gre/ipip `{remote, local}`. */
export function tunnelFromIpJson(kind: string | undefined, data: Record<string, unknown> | undefined): TunnelInfo | null {
  if (!isTunnelKind(kind)) return null;
  const t = blank(kind);
  if (data === undefined) return t;
  const num = (v: unknown): number | null => (typeof v === 'number' && Number.isInteger(v) ? v : null);
  if (kind === 'vxlan' || kind === 'geneve') {
    t.vni = num(data.id);
    t.dstPort = num(data.port);
  }
  t.remote = fixed(data.remote);
  t.local = fixed(data.local);
  t.group = fixed(data.group);
  return t;
}

// linux/if_link.h
const VXLAN = { id: 1, group: 2, local: 4, port: 15, group6: 16, local6: 17 } as const;
const GENEVE = { id: 1, remote: 2, port: 5, remote6: 7 } as const;
const GRE = { local: 6, remote: 7 } as const;
const IPTUN = { local: 2, remote: 3 } as const;

function addr(b: Buffer | undefined): string | null {
  if (b === undefined) return null;
  if (b.length === 4) return fixed(ipv4Text(b));
  if (b.length === 16) return fixed(ipv6Text(b));
  return null;
}

const be16 = (b: Buffer | undefined): number | null => (b !== undefined && b.length >= 2 ? b.readUInt16BE(0) : null);

/** From IFLA_INFO_DATA: the attributes ip decodes into the JSON above. */
export function tunnelFromNetlink(kind: string | undefined, data: Buffer | undefined): TunnelInfo | null {
  if (!isTunnelKind(kind)) return null;
  const t = blank(kind);
  if (data === undefined) return t;
  const a = attributes(data);
  if (kind === 'vxlan') {
    t.vni = u32(a.get(VXLAN.id));
    t.dstPort = be16(a.get(VXLAN.port));
    // One attribute for both: ip calls a multicast address "group", a unicast one "remote".
    const far = addr(a.get(VXLAN.group)) ?? addr(a.get(VXLAN.group6));
    if (far !== null) {
      if (isMulticast(far)) t.group = far;
      else t.remote = far;
    }
    t.local = addr(a.get(VXLAN.local)) ?? addr(a.get(VXLAN.local6));
  } else if (kind === 'geneve') {
    t.vni = u32(a.get(GENEVE.id));
    t.dstPort = be16(a.get(GENEVE.port));
    t.remote = addr(a.get(GENEVE.remote)) ?? addr(a.get(GENEVE.remote6));
  } else if (kind === 'gre' || kind === 'gretap' || kind === 'ip6gre') {
    t.local = addr(a.get(GRE.local));
    t.remote = addr(a.get(GRE.remote));
  } else if (kind === 'ipip' || kind === 'sit' || kind === 'ip6tnl') {
    t.local = addr(a.get(IPTUN.local));
    t.remote = addr(a.get(IPTUN.remote));
  }
  return t;
}

/**
 * What a runtime made the device for, from its name and its namespace's name: flannel's
 * `flannel.1`, Calico's `vxlan.calico`, Docker Swarm's overlay (`vx-…` inside `1-<id>`).
 */
export function tunnelRole(device: string, nsName: string | null): string | null {
  if (device === 'flannel.1') return 'flannel';
  if (device === 'vxlan.calico' || device === 'vxlan-v6.calico') return 'Calico';
  if (device === 'weave' || device.startsWith('vxlan-6784')) return 'Weave Net';
  if (nsName !== null && /^\d+-[0-9a-z]{10}$/.test(nsName)) return 'Docker Swarm overlay';
  return null;
}
