import { has, ipv6, mac } from './bytes.js';
import { echoIdSeq } from './icmp-echo.js';
import { field, layer, type DecodeState } from './types.js';

const UNREACH: Record<number, string> = { 0: 'no route', 1: 'administratively prohibited', 3: 'address unreachable', 4: 'port unreachable' };

/** ICMPv6: echo, unreachable, neighbour discovery (RS/RA/NS/NA), MLD. */
export function decodeIcmpv6(b: Buffer, off: number, end: number, st: DecodeState): void {
  st.proto = 'ICMPv6';
  if (!has(b, off, 4) || off + 4 > end) {
    st.info = 'truncated ICMPv6';
    return;
  }
  const type = b[off] ?? 0;
  const code = b[off + 1] ?? 0;
  const node = layer(st, 'Internet Control Message Protocol v6', off, end - off);
  field(node, `Type: ${type}`, off, 1);
  field(node, `Code: ${code}`, off + 1, 1);
  const idSeq = (): string => echoIdSeq(b, off, node);
  const target = (): string => {
    if (!has(b, off + 8, 16)) return '?';
    const t = ipv6(b, off + 8);
    field(node, `Target address: ${t}`, off + 8, 16);
    return t;
  };
  const linkAddr = (start: number): string => {
    // Options: type, length in 8-byte units; 1 = source, 2 = target link-layer address.
    let p = start;
    for (let i = 0; i < 16 && has(b, p, 2) && p < end; i++) {
      const t = b[p] ?? 0;
      const len = (b[p + 1] ?? 0) * 8;
      if (len === 0) break;
      if ((t === 1 || t === 2) && len >= 8 && has(b, p + 2, 6)) {
        const m = mac(b, p + 2);
        field(node, `${t === 1 ? 'Source' : 'Target'} link-layer address: ${m}`, p + 2, 6);
        return `, ${t === 1 ? 'from' : 'is-at'} ${m}`;
      }
      p += len;
    }
    return '';
  };
  switch (type) {
    case 128: st.info = `echo request${idSeq()}, length ${end - off}`; break;
    case 129: st.info = `echo reply${idSeq()}, length ${end - off}`; break;
    case 1: st.info = `destination unreachable: ${UNREACH[code] ?? `code ${code}`}`; break;
    case 2: st.info = has(b, off, 8) ? `packet too big, mtu ${b.readUInt32BE(off + 4)}` : 'packet too big'; break;
    case 3: st.info = 'time exceeded'; break;
    case 133: st.info = `router solicitation${linkAddr(off + 8)}`; break;
    case 134: st.info = `router advertisement${linkAddr(off + 16)}`; break;
    case 135: st.info = `neighbor solicitation, who has ${target()}${linkAddr(off + 24)}`; break;
    case 136: st.info = `neighbor advertisement, tgt is ${target()}${linkAddr(off + 24)}`; break;
    case 137: st.info = 'redirect'; break;
    case 130: st.info = 'multicast listener query'; break;
    case 131: st.info = 'multicast listener report'; break;
    case 143: st.info = 'multicast listener report v2'; break;
    default: st.info = `type ${type}, code ${code}`;
  }
}
