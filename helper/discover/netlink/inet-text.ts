import { ipv4, ipv6 } from '../../decode/bytes.js';

/** Addresses as ip prints them: dotted IPv4; IPv6 in RFC 5952 form, as glibc's inet_ntop writes it. */
export function ipv4Text(b: Buffer): string {
  return ipv4(b, 0);
}

export function ipv6Text(b: Buffer): string {
  // IPv4-mapped (::ffff:a.b.c.d) and the old IPv4-compatible form (::a.b.c.d, not :: or ::1), as inet_ntop writes them.
  const zeros5 = [0, 2, 4, 6, 8].every((i) => b.readUInt16BE(i) === 0);
  if (zeros5 && b.readUInt16BE(10) === 0xffff) return `::ffff:${ipv4(b, 12)}`;
  if (zeros5 && b.readUInt16BE(10) === 0 && b.readUInt16BE(12) !== 0) return `::${ipv4(b, 12)}`;
  return ipv6(b, 0);
}

/** An address attribute of the given family (2: AF_INET, 10: AF_INET6). */
export function inetText(family: number, b: Buffer): string | null {
  if (family === 2 && b.length >= 4) return ipv4Text(b);
  if (family === 10 && b.length >= 16) return ipv6Text(b);
  return null;
}

export function macText(b: Buffer): string {
  return [...b].map((x) => x.toString(16).padStart(2, '0')).join(':');
}
