import { has, hex16 } from './bytes.js';
import { etherTypeName, type EtherNext } from './ethernet.js';
import { field, layer, type DecodeState } from './types.js';

/** One 802.1Q / 802.1ad tag: priority, DEI, VLAN id, then the inner EtherType. */
export function decodeVlan(b: Buffer, off: number, st: DecodeState): EtherNext | null {
  if (!has(b, off, 4)) {
    st.proto = '802.1Q';
    st.info = 'truncated VLAN tag';
    return null;
  }
  const tci = b.readUInt16BE(off);
  const type = b.readUInt16BE(off + 2);
  const id = tci & 0x0fff;
  const node = layer(st, `802.1Q Virtual LAN, PRI: ${tci >> 13}, DEI: ${(tci >> 12) & 1}, ID: ${id}`, off, 4);
  field(node, `Priority: ${tci >> 13}`, off, 2);
  field(node, `DEI: ${(tci >> 12) & 1}`, off, 2);
  field(node, `ID: ${id}`, off, 2);
  field(node, `Type: ${etherTypeName(type)} (${hex16(type)})`, off + 2, 2);
  st.proto = '802.1Q';
  st.info = `VLAN ${id}`;
  return { type, off: off + 4 };
}
