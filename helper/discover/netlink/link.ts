import type { InterfaceStats } from '../../../protocol/src/snapshot.js';
import { interfaceKind, type ParsedLink } from '../ip-link.js';
import { attributes, messages, s32, str, u32 } from './messages.js';
import { inetText, macText } from './inet-text.js';
import { tunnelFromNetlink } from '../tunnel-info.js';

/**
 * RTM_NEWLINK and RTM_NEWADDR messages → the same ParsedLink ip's `-json -d -s addr show` gives
 * (ip-link.ts). Where ip prints something derived (flag names, "ifN" for an unknown index),
 * this does what iproute2 6.1 does; test/integration/netlink-reader.test.ts compares the two.
 */
const RTM_NEWLINK = 16;
const RTM_NEWADDR = 20;
const IFLA = { address: 1, ifname: 3, mtu: 4, link: 5, stats: 7, master: 10, operstate: 16, linkinfo: 18, stats64: 23, linkNetnsid: 37 } as const;
const INFO = { kind: 1, data: 2 } as const;
const IFA = { address: 1, local: 2 } as const;
const ARPHRD_ETHER = 1;
const ARPHRD_LOOPBACK = 772;

const OPERSTATES = ['UNKNOWN', 'NOTPRESENT', 'DOWN', 'LOWERLAYERDOWN', 'TESTING', 'DORMANT', 'UP'];

// ip's order (print_link_flags); IFF_RUNNING is never named, it shows as NO-CARRIER's absence.
const FLAG_NAMES: [number, string][] = [
  [0x8, 'LOOPBACK'],
  [0x2, 'BROADCAST'],
  [0x10, 'POINTOPOINT'],
  [0x1000, 'MULTICAST'],
  [0x80, 'NOARP'],
  [0x200, 'ALLMULTI'],
  [0x100, 'PROMISC'],
  [0x20, 'NOTRAILERS'],
  [0x4, 'DEBUG'],
  [0x400, 'MASTER'],
  [0x800, 'SLAVE'],
  [0x8000, 'DYNAMIC'],
  [0x4000, 'AUTOMEDIA'],
  [0x2000, 'PORTSEL'],
  [0x1, 'UP'],
  [0x10000, 'LOWER_UP'],
  [0x20000, 'DORMANT'],
  [0x40000, 'ECHO'],
];
const IFF_UP = 0x1;
const IFF_RUNNING = 0x40;

export function flagNames(flags: number, lowerDown: boolean): string[] {
  const out: string[] = [];
  if (flags & IFF_UP && !(flags & IFF_RUNNING)) out.push('NO-CARRIER');
  let rest = flags & ~IFF_RUNNING;
  for (const [bit, name] of FLAG_NAMES) {
    if (rest & bit) {
      rest &= ~bit;
      out.push(name);
    }
  }
  if (rest !== 0) out.push((rest >>> 0).toString(16));
  if (lowerDown) out.push('M-DOWN');
  return out;
}

function statsOf(v: Buffer | undefined, wide: boolean): InterfaceStats | null {
  const size = wide ? 8 : 4;
  if (v === undefined || v.length < 8 * size) return null;
  // struct rtnl_link_stats(64): rx_packets, tx_packets, rx_bytes, tx_bytes, rx_errors, tx_errors, rx_dropped, tx_dropped
  const at = (i: number): number => (wide ? Number(v.readBigUInt64LE(i * 8)) : v.readUInt32LE(i * 4));
  return { rxPackets: at(0), txPackets: at(1), rxBytes: at(2), txBytes: at(3), rxErrors: at(4), txErrors: at(5), rxDropped: at(6), txDropped: at(7) };
}

interface RawLink {
  ifindex: number;
  flags: number;
  arpType: number;
  attrs: Map<number, Buffer>;
}

/** addresses by ifindex, "local/prefixlen" in dump order (ip prints IFA_LOCAL, else IFA_ADDRESS). */
export function addressesByIndex(buf: Buffer | null): Map<number, string[]> {
  const out = new Map<number, string[]>();
  for (const m of buf === null ? [] : messages(buf)) {
    if (m.type !== RTM_NEWADDR || m.body.length < 8) continue;
    // struct ifaddrmsg: family u8, prefixlen u8, flags u8, scope u8, index u32
    const family = m.body.readUInt8(0);
    const prefixlen = m.body.readUInt8(1);
    const index = m.body.readUInt32LE(4);
    const a = attributes(m.body, 8);
    const raw = a.get(IFA.local) ?? a.get(IFA.address);
    const text = raw === undefined ? null : inetText(family, raw);
    if (text === null) continue;
    const list = out.get(index) ?? [];
    list.push(`${text}/${prefixlen}`);
    out.set(index, list);
  }
  return out;
}

export function decodeLinks(linkBuf: Buffer | null, addrBuf: Buffer | null): ParsedLink[] {
  const raws: RawLink[] = [];
  for (const m of linkBuf === null ? [] : messages(linkBuf)) {
    if (m.type !== RTM_NEWLINK || m.body.length < 16) continue;
    // struct ifinfomsg: family u8, pad u8, type u16, index s32, flags u32, change u32
    raws.push({ arpType: m.body.readUInt16LE(2), ifindex: m.body.readInt32LE(4), flags: m.body.readUInt32LE(8), attrs: attributes(m.body, 16) });
  }
  const byIndex = new Map(raws.map((r) => [r.ifindex, r]));
  const nameOf = (i: number): string => str(byIndex.get(i)?.attrs.get(IFLA.ifname)) ?? `if${i}`;
  const addrs = addressesByIndex(addrBuf);

  return raws.map((r): ParsedLink => {
    const a = r.attrs;
    const info = a.has(IFLA.linkinfo) ? attributes(a.get(IFLA.linkinfo) ?? Buffer.alloc(0)) : null;
    const infoKind = str(info?.get(INFO.kind)) ?? undefined;
    const data = info?.get(INFO.data);
    const linkType = r.arpType === ARPHRD_LOOPBACK ? 'loopback' : r.arpType === ARPHRD_ETHER ? 'ether' : `arphrd${r.arpType}`;
    const kind = interfaceKind(linkType, infoKind);
    const iflink = u32(a.get(IFLA.link));
    const netnsid = s32(a.get(IFLA.linkNetnsid));
    const inOtherNs = a.has(IFLA.linkNetnsid);
    // ip: `link` (a name) for a lower device here, `link_index` + `link_netnsid` for one elsewhere;
    // M-DOWN when that index, looked up here (even for another namespace's), is a device that is down.
    const lower = iflink !== null && iflink !== 0 ? byIndex.get(iflink) : undefined;
    const lowerDown = iflink !== null && iflink !== 0 && lower !== undefined && (lower.flags & IFF_UP) === 0;
    let linkName: string | null = iflink !== null && iflink !== 0 && !inOtherNs ? nameOf(iflink) : null;
    let vlanId: number | null = null;
    if (kind === 'vxlan' && linkName === null && data !== undefined) {
      const lowerIndex = u32(attributes(data).get(3)); // IFLA_VXLAN_LINK
      if (lowerIndex !== null && lowerIndex !== 0) linkName = nameOf(lowerIndex);
    }
    if (kind === 'vlan' && data !== undefined) {
      const id = attributes(data).get(1); // IFLA_VLAN_ID
      vlanId = id !== undefined && id.length >= 2 ? id.readUInt16LE(0) : null;
    }
    const master = u32(a.get(IFLA.master));
    const operstate = a.get(IFLA.operstate)?.readUInt8(0);
    const mac = a.get(IFLA.address);
    return {
      ifindex: r.ifindex,
      name: str(a.get(IFLA.ifname)) ?? `if${r.ifindex}`,
      kind,
      linkKind: infoKind ?? null,
      mac: linkType === 'ether' && mac !== undefined ? macText(mac) : null,
      mtu: u32(a.get(IFLA.mtu)) ?? 0,
      up: (r.flags & IFF_UP) !== 0,
      operstate: operstate === undefined ? 'UNKNOWN' : (OPERSTATES[operstate] ?? String(operstate)),
      flags: flagNames(r.flags, lowerDown),
      addresses: addrs.get(r.ifindex) ?? [],
      stats: a.has(IFLA.stats64) ? statsOf(a.get(IFLA.stats64), true) : statsOf(a.get(IFLA.stats), false),
      masterName: master !== null && master !== 0 ? nameOf(master) : null,
      linkIndex: iflink !== null && iflink !== 0 && inOtherNs ? iflink : null,
      linkNetnsid: inOtherNs && netnsid !== null && netnsid >= 0 ? netnsid : null,
      linkName,
      vlanId,
      tunnel: tunnelFromNetlink(infoKind, data),
    };
  });
}
