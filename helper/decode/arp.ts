import { has, ipv4, mac } from './bytes.js';
import { field, layer, type DecodeState } from './types.js';

/** ARP over Ethernet/IPv4 (who-has / is-at); other hardware or protocol types are named, not parsed. */
export function decodeArp(b: Buffer, off: number, st: DecodeState): void {
  st.proto = 'ARP';
  if (!has(b, off, 8)) {
    st.info = 'truncated ARP';
    return;
  }
  const htype = b.readUInt16BE(off);
  const ptype = b.readUInt16BE(off + 2);
  const hlen = b[off + 4] ?? 0;
  const plen = b[off + 5] ?? 0;
  const op = b.readUInt16BE(off + 6);
  const node = layer(st, `Address Resolution Protocol (${op === 1 ? 'request' : op === 2 ? 'reply' : `op ${op}`})`, off, Math.min(28, b.length - off));
  field(node, `Hardware type: ${htype}`, off, 2);
  field(node, `Protocol type: 0x${ptype.toString(16).padStart(4, '0')}`, off + 2, 2);
  field(node, `Opcode: ${op}`, off + 6, 2);
  if (htype !== 1 || ptype !== 0x0800 || hlen !== 6 || plen !== 4 || !has(b, off, 28)) {
    st.info = `ARP op ${op} (hardware ${htype}, protocol 0x${ptype.toString(16)})`;
    return;
  }
  const sha = mac(b, off + 8);
  const spa = ipv4(b, off + 14);
  const tha = mac(b, off + 18);
  const tpa = ipv4(b, off + 24);
  field(node, `Sender MAC address: ${sha}`, off + 8, 6);
  field(node, `Sender IP address: ${spa}`, off + 14, 4);
  field(node, `Target MAC address: ${tha}`, off + 18, 6);
  field(node, `Target IP address: ${tpa}`, off + 24, 4);
  if (op === 1) st.info = spa === tpa ? `Gratuitous ARP for ${spa}` : `who-has ${tpa} tell ${spa}`;
  else if (op === 2) st.info = `${spa} is-at ${sha}`;
  else st.info = `ARP op ${op} ${spa} → ${tpa}`;
}
