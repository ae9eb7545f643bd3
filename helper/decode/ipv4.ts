import { has, hex16, ipv4 } from './bytes.js';
import { ipProtoName, type IpNext } from './ip-next.js';
import { field, layer, type DecodeState } from './types.js';

/** IPv4 header. Non-first fragments carry no transport header, so decoding stops there. */
export function decodeIpv4(b: Buffer, off: number, st: DecodeState): IpNext | null {
  st.proto = 'IPv4';
  if (!has(b, off, 20)) {
    st.info = 'truncated IPv4 header';
    return null;
  }
  const version = (b[off] ?? 0) >> 4;
  const ihl = ((b[off] ?? 0) & 0x0f) * 4;
  const total = b.readUInt16BE(off + 2);
  const id = b.readUInt16BE(off + 4);
  const fragWord = b.readUInt16BE(off + 6);
  const ttl = b[off + 8] ?? 0;
  const proto = b[off + 9] ?? 0;
  const src = ipv4(b, off + 12);
  const dst = ipv4(b, off + 16);
  st.src = src;
  st.dst = dst;
  const node = layer(st, `Internet Protocol Version 4, Src: ${src}, Dst: ${dst}`, off, Math.max(20, Math.min(ihl, b.length - off)));
  field(node, `Version: ${version}`, off, 1);
  field(node, `Header length: ${ihl} bytes`, off, 1);
  field(node, `DSCP: ${(b[off + 1] ?? 0) >> 2}, ECN: ${(b[off + 1] ?? 0) & 3}`, off + 1, 1);
  field(node, `Total length: ${total}`, off + 2, 2);
  field(node, `Identification: ${hex16(id)} (${id})`, off + 4, 2);
  const df = (fragWord & 0x4000) !== 0;
  const mf = (fragWord & 0x2000) !== 0;
  const fragOff = (fragWord & 0x1fff) * 8;
  field(node, `Flags: ${[df ? 'DF' : '', mf ? 'MF' : ''].filter(Boolean).join(', ') || 'none'}, Fragment offset: ${fragOff}`, off + 6, 2);
  field(node, `Time to live: ${ttl}`, off + 8, 1);
  field(node, `Protocol: ${ipProtoName(proto)} (${proto})`, off + 9, 1);
  field(node, `Header checksum: ${hex16(b.readUInt16BE(off + 10))}`, off + 10, 2);
  field(node, `Source: ${src}`, off + 12, 4);
  field(node, `Destination: ${dst}`, off + 16, 4);
  if (version !== 4 || ihl < 20) {
    st.info = `bad IPv4 header (version ${version}, header length ${ihl})`;
    return null;
  }
  if (!has(b, off, ihl)) {
    st.info = 'truncated IPv4 options';
    return null;
  }
  st.proto = ipProtoName(proto);
  st.info = `${ipProtoName(proto)}, ${total} bytes`;
  if (fragOff !== 0) {
    st.info = `fragment of ${ipProtoName(proto)} at offset ${fragOff}, id ${id}`;
    return null;
  }
  // Total length bounds the payload (frames get padded to 60 bytes); snap length may cut it shorter.
  const end = total >= ihl ? Math.min(off + total, b.length) : b.length;
  return { proto, off: off + ihl, end };
}
