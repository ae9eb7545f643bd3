import type { ParsedRoute } from '../ip-route.js';
import { attributes, messages, u32 } from './messages.js';
import { inetText } from './inet-text.js';
import { ROUTE_TYPES, type RouteNames } from './rt-names.js';

/** RTM_NEWROUTE messages → ParsedRoute, as ip's `-json -details route show table all` (ip-route.ts). */
const RTM_NEWROUTE = 24;
const RTA = { dst: 1, oif: 4, gateway: 5, priority: 6, prefsrc: 7, table: 15 } as const;
const RTM_F_CLONED = 0x200;
const AF_INET = 2;
const AF_INET6 = 10;

export function decodeRoutes(buf: Buffer | null, nameOfIndex: (ifindex: number) => string, names: RouteNames): ParsedRoute[] {
  const out: ParsedRoute[] = [];
  for (const m of buf === null ? [] : messages(buf)) {
    if (m.type !== RTM_NEWROUTE || m.body.length < 12) continue;
    // struct rtmsg: family, dst_len, src_len, tos, table, protocol, scope, type (u8 each), flags u32
    const b = m.body;
    const family = b.readUInt8(0);
    // Multicast routing tables (IPMR) and other families are not routes ip shows; nor are cached clones.
    if ((family !== AF_INET && family !== AF_INET6) || (b.readUInt32LE(8) & RTM_F_CLONED) !== 0) continue;
    const dstLen = b.readUInt8(1);
    const a = attributes(b, 12);
    const dstRaw = a.get(RTA.dst);
    const dstAddr = dstRaw === undefined ? null : inetText(family, dstRaw);
    const hostLen = family === AF_INET ? 32 : 128;
    const dst = dstAddr !== null ? (dstLen === hostLen ? dstAddr : `${dstAddr}/${dstLen}`) : dstLen !== 0 ? `0/${dstLen}` : 'default';
    const gw = a.get(RTA.gateway);
    const src = a.get(RTA.prefsrc);
    const oif = u32(a.get(RTA.oif));
    const table = u32(a.get(RTA.table)) ?? b.readUInt8(4);
    const protocol = b.readUInt8(5);
    const scope = b.readUInt8(6);
    const type = b.readUInt8(7);
    out.push({
      table: names.tables.get(table) ?? String(table),
      dst,
      gateway: gw === undefined ? null : inetText(family, gw),
      devName: oif === null ? null : nameOfIndex(oif),
      src: src === undefined ? null : inetText(family, src),
      protocol: names.protos.get(protocol) ?? String(protocol),
      scope: names.scopes.get(scope) ?? String(scope),
      metric: u32(a.get(RTA.priority)),
      type: ROUTE_TYPES[type] ?? String(type),
      family: family === AF_INET ? 4 : 6,
    });
  }
  return out;
}
