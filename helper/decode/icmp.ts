import { has, ipv4 } from './bytes.js';
import { echoIdSeq } from './icmp-echo.js';
import { field, layer, type DecodeState } from './types.js';

const UNREACH: Record<number, string> = {
  0: 'net unreachable', 1: 'host unreachable', 2: 'protocol unreachable', 3: 'port unreachable',
  4: 'fragmentation needed', 5: 'source route failed', 9: 'net prohibited', 10: 'host prohibited', 13: 'communication prohibited',
};

/** ICMP for IPv4: echo (id/seq), unreachable, time exceeded, redirect. */
export function decodeIcmp(b: Buffer, off: number, end: number, st: DecodeState): void {
  st.proto = 'ICMP';
  if (!has(b, off, 4) || off + 4 > end) {
    st.info = 'truncated ICMP';
    return;
  }
  const type = b[off] ?? 0;
  const code = b[off + 1] ?? 0;
  const node = layer(st, 'Internet Control Message Protocol', off, end - off);
  field(node, `Type: ${type}`, off, 1);
  field(node, `Code: ${code}`, off + 1, 1);
  field(node, `Checksum: 0x${b.readUInt16BE(off + 2).toString(16).padStart(4, '0')}`, off + 2, 2);
  const idSeq = (): string => echoIdSeq(b, off, node);
  const inner = (): string => {
    // The offending packet's IPv4 header follows the 8-byte ICMP header.
    const p = off + 8;
    if (!has(b, p, 20)) return '';
    return ` (original ${ipv4(b, p + 12)} → ${ipv4(b, p + 16)}, proto ${b[p + 9] ?? 0})`;
  };
  switch (type) {
    case 0: st.info = `echo reply${idSeq()}, length ${end - off}`; break;
    case 8: st.info = `echo request${idSeq()}, length ${end - off}`; break;
    case 3: st.info = `destination unreachable: ${UNREACH[code] ?? `code ${code}`}${inner()}`; break;
    case 11: st.info = `time exceeded ${code === 0 ? 'in transit' : 'in reassembly'}${inner()}`; break;
    case 5: st.info = has(b, off, 8) ? `redirect to ${ipv4(b, off + 4)}` : 'redirect'; break;
    case 13: st.info = 'timestamp request'; break;
    case 14: st.info = 'timestamp reply'; break;
    default: st.info = `type ${type}, code ${code}`;
  }
}
