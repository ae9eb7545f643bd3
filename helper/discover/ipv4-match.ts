/**
 * The little IPv4 arithmetic discovery needs: does a CIDR hold an address. iptables-save
 * (v4) prints addresses as `A.B.C.D` or `A.B.C.D/N` (with N=32 for one host).
 */

/** `10.0.0.1` → 167772161; null for anything that is not a dotted quad. */
export function ipv4ToInt(ip: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (m === null) return null;
  let n = 0;
  for (const part of m.slice(1)) {
    const b = Number(part);
    if (b > 255) return null;
    n = n * 256 + b;
  }
  return n;
}

/** `10.0.0.0/8` → { base, bits }; a bare address is a /32. Null when unreadable. */
export function parseCidr4(cidr: string): { base: number; bits: number } | null {
  const [addr = '', bitsText] = cidr.split('/');
  const base = ipv4ToInt(addr);
  const bits = bitsText === undefined ? 32 : Number(bitsText);
  if (base === null || !Number.isInteger(bits) || bits < 0 || bits > 32) return null;
  return { base, bits };
}

/** Whether `ip` lies inside `cidr`; false when either is not IPv4. */
export function cidrContains(cidr: string, ip: string): boolean {
  const net = parseCidr4(cidr);
  const addr = ipv4ToInt(ip);
  if (net === null || addr === null) return false;
  if (net.bits === 0) return true;
  const size = 2 ** (32 - net.bits);
  return Math.floor(addr / size) === Math.floor(net.base / size);
}

/** `172.17.0.2/32` → `172.17.0.2`; other prefixes stay CIDR strings. */
export function hostOf(cidr: string): string {
  return cidr.endsWith('/32') ? cidr.slice(0, -3) : cidr;
}

/** `10.0.3.1/24` → `10.0.3.0/24`; null when not an IPv4 CIDR. */
export function subnetOf4(cidr: string): string | null {
  const net = parseCidr4(cidr);
  if (net === null || !cidr.includes('/')) return null;
  const size = 2 ** (32 - net.bits);
  const base = Math.floor(net.base / size) * size;
  return `${[24, 16, 8, 0].map((s) => Math.floor(base / 2 ** s) % 256).join('.')}/${net.bits}`;
}
