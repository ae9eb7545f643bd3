import { has, ipv6 } from './bytes.js';
import { ipProtoName, type IpNext } from './ip-next.js';
import { field, layer, type DecodeState } from './types.js';

const EXT_NAMES: Record<number, string> = { 0: 'Hop-by-Hop Options', 43: 'Routing', 44: 'Fragment', 60: 'Destination Options', 51: 'Authentication', 135: 'Mobility' };
/** At most this many extension headers are walked; a longer chain is not a real packet. */
const MAX_EXT = 12;

/** IPv6 header plus its extension headers; returns the upper-layer protocol. */
export function decodeIpv6(b: Buffer, off: number, st: DecodeState): IpNext | null {
  st.proto = 'IPv6';
  if (!has(b, off, 40)) {
    st.info = 'truncated IPv6 header';
    return null;
  }
  const w = b.readUInt32BE(off);
  const payloadLen = b.readUInt16BE(off + 4);
  let next = b[off + 6] ?? 0;
  const hop = b[off + 7] ?? 0;
  const src = ipv6(b, off + 8);
  const dst = ipv6(b, off + 24);
  st.src = src;
  st.dst = dst;
  const node = layer(st, `Internet Protocol Version 6, Src: ${src}, Dst: ${dst}`, off, 40);
  field(node, `Version: ${w >>> 28}`, off, 1);
  field(node, `Traffic class: 0x${((w >>> 20) & 0xff).toString(16).padStart(2, '0')}, Flow label: 0x${(w & 0xfffff).toString(16).padStart(5, '0')}`, off, 4);
  field(node, `Payload length: ${payloadLen}`, off + 4, 2);
  field(node, `Next header: ${ipProtoName(next)} (${next})`, off + 6, 1);
  field(node, `Hop limit: ${hop}`, off + 7, 1);
  field(node, `Source: ${src}`, off + 8, 16);
  field(node, `Destination: ${dst}`, off + 24, 16);
  const end = payloadLen === 0 ? b.length : Math.min(off + 40 + payloadLen, b.length); // 0: jumbogram
  let p = off + 40;
  for (let i = 0; i < MAX_EXT; i++) {
    const name = EXT_NAMES[next];
    if (name === undefined) break;
    if (!has(b, p, 8)) {
      st.info = `truncated ${name} header`;
      return null;
    }
    const after = b[p] ?? 0;
    // AH counts 4-byte words minus 2; the others 8-byte words beyond the first 8 bytes.
    const len = next === 51 ? ((b[p + 1] ?? 0) + 2) * 4 : next === 44 ? 8 : ((b[p + 1] ?? 0) + 1) * 8;
    field(node, `${name} header, next: ${ipProtoName(after)} (${len} bytes)`, p, len);
    if (next === 44) {
      const fragOff = b.readUInt16BE(p + 2) & 0xfff8;
      if (fragOff !== 0) {
        st.proto = ipProtoName(after);
        st.info = `fragment of ${ipProtoName(after)} at offset ${fragOff}, id ${b.readUInt32BE(p + 4)}`;
        return null;
      }
    }
    next = after;
    p += len;
  }
  if (EXT_NAMES[next] !== undefined) {
    st.info = 'too many IPv6 extension headers';
    return null;
  }
  st.proto = ipProtoName(next);
  st.info = next === 59 ? 'no next header' : `${ipProtoName(next)}, ${payloadLen} bytes`;
  if (next === 59 || p > end) return null;
  return { proto: next, off: p, end };
}
