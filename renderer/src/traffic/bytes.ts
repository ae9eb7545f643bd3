/** base64 → bytes (the browser's atob; no Buffer in the renderer). */
export function fromBase64(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export interface HexLine {
  offset: number;
  hex: { text: string; index: number }[];
  ascii: string;
}

/** 16 bytes a line, with each byte's index so a details node can highlight its range. */
export function hexLines(bytes: Uint8Array): HexLine[] {
  const lines: HexLine[] = [];
  for (let o = 0; o < bytes.length; o += 16) {
    const hex: HexLine['hex'] = [];
    let ascii = '';
    for (let i = o; i < Math.min(o + 16, bytes.length); i++) {
      const b = bytes[i] ?? 0;
      hex.push({ text: b.toString(16).padStart(2, '0'), index: i });
      ascii += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
    }
    lines.push({ offset: o, hex, ascii });
  }
  return lines;
}

/** Payload bytes as text: printable ASCII, newlines kept, the rest as dots (like Wireshark's Follow). */
export function printable(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b === 10 || b === 13 || b === 9 || (b >= 0x20 && b < 0x7f) ? String.fromCharCode(b) : '.';
  return s;
}
