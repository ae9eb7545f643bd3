/** Bounds-checked reading and formatting shared by the decoders. Nothing here throws. */
export function has(b: Buffer, off: number, n: number): boolean {
  return off >= 0 && n >= 0 && off + n <= b.length;
}

export function mac(b: Buffer, off: number): string {
  const parts: string[] = [];
  for (let i = 0; i < 6; i++) parts.push((b[off + i] ?? 0).toString(16).padStart(2, '0'));
  return parts.join(':');
}

export function ipv4(b: Buffer, off: number): string {
  return `${b[off] ?? 0}.${b[off + 1] ?? 0}.${b[off + 2] ?? 0}.${b[off + 3] ?? 0}`;
}

/** RFC 5952 text: lower case, the longest run (≥ 2) of zero groups becomes "::". */
export function ipv6(b: Buffer, off: number): string {
  const g: number[] = [];
  for (let i = 0; i < 8; i++) g.push(((b[off + 2 * i] ?? 0) << 8) | (b[off + 2 * i + 1] ?? 0));
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (xs: number[]): string => xs.map((x) => x.toString(16)).join(':');
  if (bestStart < 0) return hex(g);
  return `${hex(g.slice(0, bestStart))}::${hex(g.slice(bestStart + bestLen))}`;
}

export function hex16(n: number): string {
  return '0x' + n.toString(16).padStart(4, '0');
}

/** Printable ASCII of a byte range, dots elsewhere (for payload previews). */
export function ascii(b: Buffer, off: number, n: number): string {
  let s = '';
  const end = Math.min(b.length, off + n);
  for (let i = Math.max(0, off); i < end; i++) {
    const c = b[i] ?? 0;
    s += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : '.';
  }
  return s;
}
