import { decodeArp } from './arp.js';
import { etherTypeName } from './ethernet.js';
import { decodeIpPayload } from './ip-payload.js';
import { decodeIpv4 } from './ipv4.js';
import { decodeIpv6 } from './ipv6.js';
import { layer, type DecodeState } from './types.js';
import { decodeVlan } from './vlan.js';

/** Stacked tags beyond this (QinQ is 2) are not a real frame. */
const MAX_TAGS = 4;

/** Decodes what an EtherType announces, following VLAN tags. */
export function decodeEtherType(b: Buffer, type: number, off: number, st: DecodeState): void {
  let t = type;
  let o = off;
  for (let i = 0; (t === 0x8100 || t === 0x88a8) && i < MAX_TAGS; i++) {
    const next = decodeVlan(b, o, st);
    if (next === null) return;
    t = next.type;
    o = next.off;
  }
  switch (t) {
    case 0x0800: {
      const ip = decodeIpv4(b, o, st);
      if (ip !== null) decodeIpPayload(b, ip, st);
      return;
    }
    case 0x86dd: {
      const ip = decodeIpv6(b, o, st);
      if (ip !== null) decodeIpPayload(b, ip, st);
      return;
    }
    case 0x0806:
      decodeArp(b, o, st);
      return;
    default:
      if (o < b.length) layer(st, `Data (${b.length - o} bytes)`, o, b.length - o);
      st.proto = etherTypeName(t) === 'unknown' ? `0x${t.toString(16).padStart(4, '0')}` : etherTypeName(t);
      st.info = `EtherType 0x${t.toString(16).padStart(4, '0')}, ${b.length - o} bytes`;
  }
}
