import { decodeDns } from './dns.js';
import { decodeIcmp } from './icmp.js';
import { decodeIcmpv6 } from './icmpv6.js';
import { ipProtoName, type IpNext } from './ip-next.js';
import { decodeTcp } from './tcp.js';
import { layer, type DecodeState } from './types.js';
import { decodeUdp } from './udp.js';

const DNS_PORTS = new Set([53, 5353, 5355]);

/** The transport layer behind an IP header, and DNS on its well-known ports. */
export function decodeIpPayload(b: Buffer, ip: IpNext, st: DecodeState): void {
  const { off, end } = ip;
  switch (ip.proto) {
    case 1:
      decodeIcmp(b, off, end, st);
      return;
    case 58:
      decodeIcmpv6(b, off, end, st);
      return;
    case 6: {
      const tcp = decodeTcp(b, off, end, st);
      if (tcp === null) return;
      st.flow = { proto: 'tcp', srcAddr: st.src, dstAddr: st.dst, srcPort: tcp.srcPort, dstPort: tcp.dstPort, seq: tcp.seq, flags: tcp.flags, payloadOff: tcp.payloadOff, payloadEnd: Math.max(tcp.payloadOff, end) };
      tag(st, tcp.srcPort, tcp.dstPort);
      // DNS over TCP: a 2-byte length, then the message.
      if ((DNS_PORTS.has(tcp.srcPort) || DNS_PORTS.has(tcp.dstPort)) && end - tcp.payloadOff > 14) {
        const info = st.info;
        decodeDns(b, tcp.payloadOff + 2, end, st);
        st.info = `${st.info} (${info})`;
      } else if (end > tcp.payloadOff) layer(st, `Data (${end - tcp.payloadOff} bytes)`, tcp.payloadOff, end - tcp.payloadOff);
      return;
    }
    case 17: {
      const udp = decodeUdp(b, off, end, st);
      if (udp === null) return;
      st.flow = { proto: 'udp', srcAddr: st.src, dstAddr: st.dst, srcPort: udp.srcPort, dstPort: udp.dstPort, seq: 0, flags: [], payloadOff: udp.payloadOff, payloadEnd: Math.max(udp.payloadOff, udp.payloadEnd) };
      tag(st, udp.srcPort, udp.dstPort);
      if (DNS_PORTS.has(udp.srcPort) || DNS_PORTS.has(udp.dstPort)) decodeDns(b, udp.payloadOff, udp.payloadEnd, st);
      else if (udp.payloadEnd > udp.payloadOff) layer(st, `Data (${udp.payloadEnd - udp.payloadOff} bytes)`, udp.payloadOff, udp.payloadEnd - udp.payloadOff);
      return;
    }
    default:
      if (end > off) layer(st, `${ipProtoName(ip.proto)} data (${end - off} bytes)`, off, end - off);
  }
}

/** Ports join the addresses in the list, as tcpdump prints them (10.0.0.1.80, fd00::1.80). */
function tag(st: DecodeState, srcPort: number, dstPort: number): void {
  st.src = `${st.src}.${srcPort}`;
  st.dst = `${st.dst}.${dstPort}`;
}
