import { has } from './bytes.js';
import { field, layer, type DecodeState } from './types.js';

export interface UdpInfo {
  srcPort: number;
  dstPort: number;
  payloadOff: number;
  payloadEnd: number;
}

export function decodeUdp(b: Buffer, off: number, end: number, st: DecodeState): UdpInfo | null {
  st.proto = 'UDP';
  if (!has(b, off, 8) || off + 8 > end) {
    st.info = 'truncated UDP header';
    return null;
  }
  const srcPort = b.readUInt16BE(off);
  const dstPort = b.readUInt16BE(off + 2);
  const len = b.readUInt16BE(off + 4);
  const node = layer(st, `User Datagram Protocol, Src Port: ${srcPort}, Dst Port: ${dstPort}`, off, 8);
  field(node, `Source port: ${srcPort}`, off, 2);
  field(node, `Destination port: ${dstPort}`, off + 2, 2);
  field(node, `Length: ${len}`, off + 4, 2);
  field(node, `Checksum: 0x${b.readUInt16BE(off + 6).toString(16).padStart(4, '0')}`, off + 6, 2);
  st.info = `${srcPort} → ${dstPort} Len=${Math.max(0, len - 8)}`;
  const payloadEnd = len >= 8 ? Math.min(off + len, end) : end;
  return { srcPort, dstPort, payloadOff: off + 8, payloadEnd };
}
