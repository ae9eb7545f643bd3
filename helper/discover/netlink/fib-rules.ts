import type { IpRule } from '../../../protocol/src/firewall.js';
import { attributes, messages, str, u32 } from './messages.js';
import { inetText } from './inet-text.js';
import type { RouteNames } from './rt-names.js';

/**
 * RTM_NEWRULE messages (policy routing, `ip rule`) → IpRule, as `ip -json rule show` reads them.
 * struct fib_rule_hdr: family, dst_len, src_len, tos, table, res1, res2, action (u8 each), flags u32.
 */
const RTM_NEWRULE = 32;
const FRA = { dst: 1, src: 2, iifname: 3, goto: 4, priority: 6, fwmark: 10, suppressPrefixlen: 14, table: 15, fwmask: 16, oifname: 17, l3mdev: 19, uidRange: 20, ipProto: 22, sport: 23, dport: 24 } as const;
const ACTIONS: Record<number, IpRule['action']> = { 1: 'lookup', 2: 'goto', 3: 'nop', 6: 'blackhole', 7: 'unreachable', 8: 'prohibit' };
const FIB_RULE_INVERT = 0x2;
const AF_INET = 2;
const AF_INET6 = 10;

function prefix(family: number, raw: Buffer | undefined, len: number): string | null {
  if (raw === undefined) return len === 0 ? null : `0/${len}`;
  const a = inetText(family, raw);
  return a === null ? null : `${a}/${len}`;
}

export function decodeFibRules(buf: Buffer | null, names: RouteNames): IpRule[] {
  const out: IpRule[] = [];
  for (const m of buf === null ? [] : messages(buf)) {
    if (m.type !== RTM_NEWRULE || m.body.length < 12) continue;
    const b = m.body;
    const family = b.readUInt8(0);
    if (family !== AF_INET && family !== AF_INET6) continue;
    const a = attributes(b, 12);
    const table = u32(a.get(FRA.table)) ?? b.readUInt8(4);
    const action = ACTIONS[b.readUInt8(7)] ?? 'other';
    const other: string[] = [];
    if (b.readUInt8(3) !== 0) other.push(`tos ${b.readUInt8(3)}`);
    if (a.has(FRA.l3mdev) && (a.get(FRA.l3mdev)?.readUInt8(0) ?? 0) !== 0) other.push('l3mdev');
    if (a.has(FRA.uidRange)) other.push('uidrange');
    if (a.has(FRA.ipProto)) other.push(`ipproto ${a.get(FRA.ipProto)?.readUInt8(0) ?? '?'}`);
    if (a.has(FRA.sport)) other.push('sport');
    if (a.has(FRA.dport)) other.push('dport');
    const suppress = u32(a.get(FRA.suppressPrefixlen));
    out.push({
      family: family === AF_INET ? 4 : 6,
      priority: u32(a.get(FRA.priority)) ?? 0,
      ...((b.readUInt32LE(8) & FIB_RULE_INVERT) !== 0 ? { not: true } : {}),
      src: prefix(family, a.get(FRA.src), b.readUInt8(2)),
      dst: prefix(family, a.get(FRA.dst), b.readUInt8(1)),
      iif: str(a.get(FRA.iifname)),
      oif: str(a.get(FRA.oifname)),
      fwmark: u32(a.get(FRA.fwmark)),
      fwmask: u32(a.get(FRA.fwmask)),
      ...(other.length ? { other } : {}),
      action,
      table: action === 'lookup' ? (names.tables.get(table) ?? String(table)) : null,
      goto: action === 'goto' ? u32(a.get(FRA.goto)) : null,
      // The kernel stores "none" as (u32)-1.
      suppressPrefixlen: suppress === null || suppress === 0xffffffff ? null : suppress,
    });
  }
  return out.sort((x, y) => x.family - y.family || x.priority - y.priority);
}
