/**
 * Reads a DNS name at `off` within the DNS message `msg` (RFC 1035 §4.1.4). Compression pointers
 * are followed at most MAX_JUMPS times and names stop at 255 bytes, so a pointer loop or a
 * crafted chain ends instead of spinning. Returns the name and where the record continues.
 */
const MAX_JUMPS = 32;
const MAX_NAME = 255;

export interface DnsName {
  name: string;
  /** Offset just past the name as written at `off` (after the first pointer, if any). */
  next: number;
}

export function readDnsName(msg: Buffer, off: number): DnsName | null {
  const labels: string[] = [];
  let p = off;
  let next = -1;
  let jumps = 0;
  let size = 0;
  for (;;) {
    if (p < 0 || p >= msg.length) return null;
    const len = msg[p] ?? 0;
    if (len === 0) {
      if (next < 0) next = p + 1;
      break;
    }
    if ((len & 0xc0) === 0xc0) {
      if (p + 1 >= msg.length || ++jumps > MAX_JUMPS) return null;
      if (next < 0) next = p + 2;
      p = ((len & 0x3f) << 8) | (msg[p + 1] ?? 0);
      continue;
    }
    if ((len & 0xc0) !== 0) return null; // 0x40/0x80: extended label types, obsolete
    if (p + 1 + len > msg.length) return null;
    size += len + 1;
    if (size > MAX_NAME) return null;
    labels.push(label(msg, p + 1, len));
    p += 1 + len;
  }
  return { name: labels.length === 0 ? '.' : labels.join('.'), next };
}

function label(msg: Buffer, off: number, len: number): string {
  let s = '';
  for (let i = off; i < off + len; i++) {
    const c = msg[i] ?? 0;
    s += c > 0x20 && c < 0x7f && c !== 0x2e ? String.fromCharCode(c) : `\\${c.toString().padStart(3, '0')}`;
  }
  return s;
}
