import type { Packet } from './packet.js';
import { ipPort } from './packet.js';
import type { Tracer } from './tracer.js';
import { addHop } from './tracer.js';

/**
 * conntrack's reverse translation of a reply: where the request's source was rewritten
 * (SNAT/MASQUERADE) the reply's destination is restored as it comes in (PREROUTING); where the
 * request's destination was rewritten (DNAT) the reply's source is restored as it leaves
 * (POSTROUTING, or before local delivery).
 */
export function undoSnat(t: Tracer, ns: string, pkt: Packet, inId: string | null): void {
  const i = t.translations.findIndex((x) => x.ns === ns && x.kind === 'snat' && x.now.ip === pkt.dst);
  if (i < 0) return;
  const [x] = t.translations.splice(i, 1);
  if (!x) return;
  const before = ipPort(pkt.dst, pkt.dport);
  pkt.dst = x.orig.ip;
  pkt.dport = x.orig.port ?? pkt.dport;
  addHop(t, 'conntrack', ns, { in: inId }, pkt, 'pass', `conntrack: the reply to ${before} goes back to ${ipPort(pkt.dst, pkt.dport)} (reverse of the source NAT)`, x.by);
}

export function undoDnat(t: Tracer, ns: string, pkt: Packet, outId: string | null): void {
  const i = t.translations.findIndex((x) => x.ns === ns && x.kind === 'dnat' && x.now.ip === pkt.src && (x.now.port === null || x.now.port === pkt.sport));
  if (i < 0) return;
  const [x] = t.translations.splice(i, 1);
  if (!x) return;
  const before = ipPort(pkt.src, pkt.sport);
  pkt.src = x.orig.ip;
  pkt.sport = x.orig.port ?? pkt.sport;
  addHop(t, 'conntrack', ns, { out: outId }, pkt, 'pass', `conntrack: the reply from ${before} leaves as ${ipPort(pkt.src, pkt.sport)} (reverse of the DNAT)`, x.by);
}
