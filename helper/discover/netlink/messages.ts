/**
 * Walking netlink messages and their attributes (netlink(7), rtnetlink(7)): every message is a
 * 16-byte header and a body; attributes are (u16 length, u16 type, value), each 4-byte aligned.
 */
export interface NlMessage {
  type: number;
  /** The body after the 16-byte header. */
  body: Buffer;
}

const align4 = (n: number): number => (n + 3) & ~3;

export function messages(buf: Buffer): NlMessage[] {
  const out: NlMessage[] = [];
  let off = 0;
  while (off + 16 <= buf.length) {
    const len = buf.readUInt32LE(off);
    if (len < 16 || off + len > buf.length) break;
    out.push({ type: buf.readUInt16LE(off + 4), body: buf.subarray(off + 16, off + len) });
    off += align4(len);
  }
  return out;
}

/** Attributes by type (the nested / byte-order flag bits masked off); the first of a type wins. */
export function attributes(buf: Buffer, start = 0): Map<number, Buffer> {
  const out = new Map<number, Buffer>();
  let off = align4(start);
  while (off + 4 <= buf.length) {
    const len = buf.readUInt16LE(off);
    if (len < 4 || off + len > buf.length) break;
    const type = buf.readUInt16LE(off + 2) & 0x3fff;
    if (!out.has(type)) out.set(type, buf.subarray(off + 4, off + len));
    off += align4(len);
  }
  return out;
}

/** A NUL-terminated string attribute. */
export function str(v: Buffer | undefined): string | null {
  if (v === undefined) return null;
  const end = v.indexOf(0);
  return v.subarray(0, end === -1 ? v.length : end).toString('utf8');
}

export function u32(v: Buffer | undefined): number | null {
  return v !== undefined && v.length >= 4 ? v.readUInt32LE(0) : null;
}

export function s32(v: Buffer | undefined): number | null {
  return v !== undefined && v.length >= 4 ? v.readInt32LE(0) : null;
}
