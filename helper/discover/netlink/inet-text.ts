/** Addresses as ip prints them: dotted IPv4; IPv6 in RFC 5952 form, as glibc's inet_ntop writes it. */
export function ipv4Text(b: Buffer): string {
  return `${b[0] ?? 0}.${b[1] ?? 0}.${b[2] ?? 0}.${b[3] ?? 0}`;
}

export function ipv6Text(b: Buffer): string {
  const words: number[] = [];
  for (let i = 0; i < 16; i += 2) words.push(b.readUInt16BE(i));
  // IPv4-mapped (::ffff:a.b.c.d) and the old IPv4-compatible form (::a.b.c.d, not :: or ::1).
  const zeros5 = words.slice(0, 5).every((w) => w === 0);
  if (zeros5 && words[5] === 0xffff) return `::ffff:${ipv4Text(b.subarray(12))}`;
  if (zeros5 && words[5] === 0 && (words[6] ?? 0) !== 0) return `::${ipv4Text(b.subarray(12))}`;
  // The longest run of two or more zero words (the first of equals) becomes "::".
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = words.map((w) => w.toString(16));
  if (best === -1) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
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
