/** A classic hex dump: offset, 16 bytes in hex, the printable ones as text. */
export function hexDump(b: Buffer, maxBytes = 65536): string {
  const lines: string[] = [];
  const end = Math.min(b.length, maxBytes);
  for (let o = 0; o < end; o += 16) {
    const row = b.subarray(o, Math.min(o + 16, end));
    const hex = [...row].map((x) => x.toString(16).padStart(2, '0'));
    const left = hex.slice(0, 8).join(' ');
    const right = hex.slice(8).join(' ');
    const text = [...row].map((x) => (x >= 0x20 && x < 0x7f ? String.fromCharCode(x) : '.')).join('');
    lines.push(`${o.toString(16).padStart(4, '0')}  ${left.padEnd(23)}  ${right.padEnd(23)}  ${text}`);
  }
  if (b.length > end) lines.push(`… ${b.length - end} more bytes`);
  return lines.join('\n');
}
