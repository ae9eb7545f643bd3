import { has } from './bytes.js';
import { field, layer, type DecodeState } from './types.js';

const FLAG_NAMES = ['FIN', 'SYN', 'RST', 'PSH', 'ACK', 'URG', 'ECE', 'CWR'] as const;

export interface TcpInfo {
  srcPort: number;
  dstPort: number;
  seq: number;
  flags: string[];
  payloadOff: number;
}

/** TCP header: ports, flags, seq/ack, window, payload length. */
export function decodeTcp(b: Buffer, off: number, end: number, st: DecodeState): TcpInfo | null {
  st.proto = 'TCP';
  if (!has(b, off, 20) || off + 20 > end) {
    st.info = has(b, off, 4) ? `${b.readUInt16BE(off)} → ${b.readUInt16BE(off + 2)} truncated TCP header` : 'truncated TCP header';
    return null;
  }
  const srcPort = b.readUInt16BE(off);
  const dstPort = b.readUInt16BE(off + 2);
  const seq = b.readUInt32BE(off + 4);
  const ack = b.readUInt32BE(off + 8);
  const dataOff = ((b[off + 12] ?? 0) >> 4) * 4;
  const bits = b[off + 13] ?? 0;
  const win = b.readUInt16BE(off + 14);
  const flags = FLAG_NAMES.filter((_, i) => (bits & (1 << i)) !== 0);
  const hdr = Math.max(20, Math.min(dataOff, end - off));
  const len = Math.max(0, end - off - hdr);
  const node = layer(st, `Transmission Control Protocol, Src Port: ${srcPort}, Dst Port: ${dstPort}, Seq: ${seq}, Len: ${len}`, off, hdr);
  field(node, `Source port: ${srcPort}`, off, 2);
  field(node, `Destination port: ${dstPort}`, off + 2, 2);
  field(node, `Sequence number: ${seq}`, off + 4, 4);
  field(node, `Acknowledgment number: ${ack}`, off + 8, 4);
  field(node, `Header length: ${dataOff} bytes`, off + 12, 1);
  field(node, `Flags: 0x${bits.toString(16).padStart(3, '0')} [${flags.join(', ')}]`, off + 13, 1);
  field(node, `Window: ${win}`, off + 14, 2);
  field(node, `Checksum: 0x${b.readUInt16BE(off + 16).toString(16).padStart(4, '0')}`, off + 16, 2);
  if (dataOff < 20) {
    st.info = `${srcPort} → ${dstPort} bad header length ${dataOff}`;
    return null;
  }
  const parts = [`${srcPort} → ${dstPort} [${flags.join(', ')}]`, `Seq=${seq}`];
  if (flags.includes('ACK')) parts.push(`Ack=${ack}`);
  parts.push(`Win=${win}`, `Len=${len}`);
  st.info = parts.join(' ');
  return { srcPort, dstPort, seq, flags, payloadOff: off + hdr };
}
