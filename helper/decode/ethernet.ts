import { has, hex16, mac } from './bytes.js';
import { field, layer, type DecodeState } from './types.js';

export interface EtherNext {
  type: number;
  off: number;
}

/** Ethernet II header; returns the EtherType and where its payload starts, or null when truncated. */
export function decodeEthernet(b: Buffer, off: number, st: DecodeState): EtherNext | null {
  if (!has(b, off, 14)) {
    st.proto = 'Ethernet';
    st.info = 'truncated Ethernet header';
    return null;
  }
  const dst = mac(b, off);
  const src = mac(b, off + 6);
  const type = b.readUInt16BE(off + 12);
  st.src = src;
  st.dst = dst;
  st.proto = 'Ethernet';
  const node = layer(st, `Ethernet II, Src: ${src}, Dst: ${dst}`, off, 14);
  field(node, `Destination: ${dst}`, off, 6);
  field(node, `Source: ${src}`, off + 6, 6);
  if (type <= 1500) {
    // 802.3 length field, usually followed by LLC (STP, CDP…): not decoded further.
    field(node, `Length: ${type} (802.3 + LLC)`, off + 12, 2);
    st.proto = 'LLC';
    st.info = `802.3 frame, ${type} bytes`;
    return null;
  }
  field(node, `Type: ${etherTypeName(type)} (${hex16(type)})`, off + 12, 2);
  return { type, off: off + 14 };
}

export function etherTypeName(t: number): string {
  switch (t) {
    case 0x0800: return 'IPv4';
    case 0x0806: return 'ARP';
    case 0x86dd: return 'IPv6';
    case 0x8100: return '802.1Q';
    case 0x88a8: return '802.1ad';
    case 0x8035: return 'RARP';
    case 0x88cc: return 'LLDP';
    case 0x8847: return 'MPLS';
    case 0x888e: return 'EAPOL';
    default: return 'unknown';
  }
}
