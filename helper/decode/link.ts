import { LINKTYPE } from '../pcap/format.js';
import { has, hex16, mac } from './bytes.js';
import { decodeEthernet } from './ethernet.js';
import { decodeEtherType } from './ethertype.js';
import { field, layer, type DecodeState } from './types.js';

const SLL_PKTTYPE = ['to us', 'broadcast', 'multicast', 'to another host', 'sent by us'];

/** The link layer named by the capture's link type, then everything above it. */
export function decodeLink(linktype: number, b: Buffer, st: DecodeState): void {
  switch (linktype) {
    case LINKTYPE.EN10MB: {
      const next = decodeEthernet(b, 0, st);
      if (next !== null) decodeEtherType(b, next.type, next.off, st);
      return;
    }
    case LINKTYPE.LINUX_SLL:
      return sll(b, st);
    case LINKTYPE.LINUX_SLL2:
      return sll2(b, st);
    case LINKTYPE.RAW:
      return raw(b, 0, st);
    case LINKTYPE.NULL:
    case LINKTYPE.LOOP:
      return loopback(linktype, b, st);
    default:
      layer(st, `Data, link type ${linktype} (${b.length} bytes)`, 0, b.length);
      st.proto = `link ${linktype}`;
      st.info = `${b.length} bytes of link type ${linktype}`;
  }
}

/** Linux cooked v1 (tcpdump -i any, -y LINUX_SLL): 16 bytes, protocol last. */
function sll(b: Buffer, st: DecodeState): void {
  if (!has(b, 0, 16)) {
    st.info = 'truncated Linux cooked header';
    return;
  }
  const pkttype = b.readUInt16BE(0);
  const alen = b.readUInt16BE(4);
  const proto = b.readUInt16BE(14);
  const node = layer(st, `Linux cooked capture v1, ${SLL_PKTTYPE[pkttype] ?? `type ${pkttype}`}`, 0, 16);
  field(node, `Packet type: ${SLL_PKTTYPE[pkttype] ?? pkttype}`, 0, 2);
  field(node, `Link-layer address type: ${b.readUInt16BE(2)}`, 2, 2);
  if (alen === 6) {
    st.src = mac(b, 6);
    field(node, `Source: ${st.src}`, 6, 6);
  }
  field(node, `Protocol: ${hex16(proto)}`, 14, 2);
  decodeEtherType(b, proto, 16, st);
}

/** Linux cooked v2 (tcpdump 4.99's default on `any`): 20 bytes, protocol first, interface index. */
function sll2(b: Buffer, st: DecodeState): void {
  if (!has(b, 0, 20)) {
    st.info = 'truncated Linux cooked v2 header';
    return;
  }
  const proto = b.readUInt16BE(0);
  const ifindex = b.readUInt32BE(4);
  const pkttype = b[10] ?? 0;
  const alen = b[11] ?? 0;
  const node = layer(st, `Linux cooked capture v2, ifindex ${ifindex}, ${SLL_PKTTYPE[pkttype] ?? `type ${pkttype}`}`, 0, 20);
  field(node, `Protocol: ${hex16(proto)}`, 0, 2);
  field(node, `Interface index: ${ifindex}`, 4, 4);
  field(node, `Link-layer address type: ${b.readUInt16BE(8)}`, 8, 2);
  field(node, `Packet type: ${SLL_PKTTYPE[pkttype] ?? pkttype}`, 10, 1);
  if (alen === 6) {
    st.src = mac(b, 12);
    field(node, `Source: ${st.src}`, 12, 6);
  }
  decodeEtherType(b, proto, 20, st);
}

/** Bare IP (tun devices, ipip/gre tunnels): the version nibble says which. */
function raw(b: Buffer, off: number, st: DecodeState): void {
  const v = (b[off] ?? 0) >> 4;
  if (v === 4) decodeEtherType(b, 0x0800, off, st);
  else if (v === 6) decodeEtherType(b, 0x86dd, off, st);
  else {
    layer(st, `Raw data (${b.length - off} bytes)`, off, b.length - off);
    st.info = `IP version ${v}?`;
  }
}

/** BSD loopback: a 4-byte address family, host order for NULL, network order for LOOP. */
function loopback(linktype: number, b: Buffer, st: DecodeState): void {
  if (!has(b, 0, 4)) {
    st.info = 'truncated loopback header';
    return;
  }
  // NULL is in the writer's byte order; a family is small, so the order that gives one wins.
  let family = linktype === LINKTYPE.LOOP ? b.readUInt32BE(0) : b.readUInt32LE(0);
  if (family > 0xffff) family = linktype === LINKTYPE.LOOP ? b.readUInt32LE(0) : b.readUInt32BE(0);
  const node = layer(st, `Null/Loopback, family ${family}`, 0, 4);
  field(node, `Family: ${family}`, 0, 4);
  // AF_INET is 2 everywhere; AF_INET6 is 10 (Linux), 24, 28 or 30 (BSDs, macOS).
  if (family === 2) decodeEtherType(b, 0x0800, 4, st);
  else if (family === 10 || family === 24 || family === 28 || family === 30) decodeEtherType(b, 0x86dd, 4, st);
  else raw(b, 4, st);
}
