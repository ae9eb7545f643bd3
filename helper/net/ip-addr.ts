import { isIPv4, isIPv6 } from '../../protocol/src/intents.js';
import { ipv4ToInt } from '../discover/ipv4-match.js';

/**
 * Address arithmetic for both families, as BigInt so one code path serves IPv4 and IPv6 (route
 * lookups and rule matches must never compare a v4 address against a v6 prefix).
 */
export type Family = 4 | 6;

export function familyOf(ip: string): Family | null {
  if (isIPv4(ip)) return 4;
  if (isIPv6(ip)) return 6;
  return null;
}

function v6ToBig(ip: string): bigint | null {
  if (!isIPv6(ip)) return null;
  let text = ip;
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (tail?.[1]) {
    const n = ipv4ToInt(tail[1]);
    if (n === null) return null;
    text = text.slice(0, -tail[1].length) + `${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const [head = '', rest] = text.split('::');
  const a = head === '' ? [] : head.split(':');
  const b = rest === undefined || rest === '' ? [] : rest.split(':');
  const groups = rest === undefined ? a : [...a, ...Array<string>(8 - a.length - b.length).fill('0'), ...b];
  if (groups.length !== 8) return null;
  return groups.reduce((acc, g) => (acc << 16n) + BigInt(parseInt(g, 16)), 0n);
}

export function ipToBig(ip: string): bigint | null {
  const v4 = ipv4ToInt(ip);
  if (v4 !== null) return BigInt(v4);
  return v6ToBig(ip);
}

export interface Prefix {
  family: Family;
  base: bigint;
  bits: number;
}

/** `10.0.0.0/24`, a bare address (a host route: /32 or /128), or `default` (0/0 of `family`). */
export function parsePrefix(text: string, family?: Family): Prefix | null {
  if (text === 'default') return family === undefined ? null : { family, base: 0n, bits: 0 };
  const [addr = '', bitsText] = text.split('/');
  const fam = familyOf(addr);
  const base = ipToBig(addr);
  if (fam === null || base === null) return null;
  const max = fam === 4 ? 32 : 128;
  const bits = bitsText === undefined ? max : Number(bitsText);
  if (!Number.isInteger(bits) || bits < 0 || bits > max) return null;
  return { family: fam, base, bits };
}

export function prefixContains(p: Prefix, ip: string): boolean {
  if (familyOf(ip) !== p.family) return false;
  const addr = ipToBig(ip);
  if (addr === null) return false;
  const shift = BigInt((p.family === 4 ? 32 : 128) - p.bits);
  return addr >> shift === p.base >> shift;
}

/** Whether `cidr` (or a bare address) holds `ip`; false across families or when unreadable. */
export function cidrHolds(cidr: string, ip: string): boolean {
  const p = parsePrefix(cidr);
  return p !== null && prefixContains(p, ip);
}

/** `10.0.0.2/24` → `10.0.0.0/24` (IPv4); other input comes back as given. */
export function networkOf(cidr: string): string {
  const p = parsePrefix(cidr);
  if (p === null || p.family !== 4) return cidr;
  const shift = BigInt(32 - p.bits);
  const base = Number((p.base >> shift) << shift);
  return `${[24, 16, 8, 0].map((s) => (base >>> s) & 255).join('.')}/${p.bits}`;
}

export const addrOf = (cidr: string): string => cidr.split('/')[0] ?? cidr;

/** Link-local, loopback and multicast addresses are no one's "first global address". */
export function isGlobal(ip: string): boolean {
  if (familyOf(ip) === 4) return !ip.startsWith('127.') && !ip.startsWith('169.254.') && !cidrHolds('224.0.0.0/4', ip);
  const l = ip.toLowerCase();
  return l !== '::1' && !l.startsWith('fe80:') && !l.startsWith('ff');
}

/** RFC 1918 and shared (RFC 6598) space: addresses the internet does not route back to. */
export function isPrivate4(ip: string): boolean {
  return ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10'].some((c) => cidrHolds(c, ip));
}
