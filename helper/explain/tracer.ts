import type { Hop, HopDecider, HopStage } from '../../protocol/src/explain.js';
import type { Interface } from '../../protocol/src/snapshot.js';
import type { Verdict } from './chain-walk.js';
import type { NetIndex } from './net-index.js';
import type { Packet } from './packet.js';
import { ipPort } from './packet.js';

/**
 * The state one trace (request or response) carries from hop to hop, and the "blockers" it
 * records where the packet stops — findings/ turns those into plain words and fixes.
 */
export interface Translation {
  ns: string;
  kind: 'dnat' | 'snat';
  orig: { ip: string; port: number | null };
  now: { ip: string; port: number | null };
  by: HopDecider | null;
}

export type Blocker =
  | { kind: 'no-route'; ns: string; pkt: Packet }
  | { kind: 'route-refused'; ns: string; pkt: Packet; decider: HopDecider }
  | { kind: 'lo-down'; ns: string; lo: Interface }
  | { kind: 'link-down'; ns: string; iface: Interface }
  | { kind: 'forwarding-off'; ns: string; pkt: Packet }
  | { kind: 'filter'; ns: string; chain: string; verdict: Verdict; pkt: Packet; in: string | null; out: string | null; bridged: boolean }
  | { kind: 'no-neighbour'; ns: string; dev: Interface; nexthop: string }
  | { kind: 'not-listening'; ns: string; pkt: Packet }
  | { kind: 'martian'; ns: string; pkt: Packet };

export interface Tracer {
  idx: NetIndex;
  dir: 'request' | 'response';
  hops: Hop[];
  blockers: Blocker[];
  /** The request records what NAT did; the response undoes it (conntrack), consuming entries. */
  translations: Translation[];
  /** Why a hop could not be decided. */
  unknown: string[];
  /** Whether a socket listens (from `ss` in that namespace); null when not known. */
  listening?: ((ns: string, proto: 'tcp' | 'udp', port: number) => boolean | null) | undefined;
  /** The user named the source address: the routing decision must not pick another. */
  srcPinned: boolean;
  /** The source address the sending namespace chose (before any SNAT): where the reply must end. */
  origin?: string;
}

export function newTracer(idx: NetIndex, dir: Tracer['dir'], over: Partial<Tracer> = {}): Tracer {
  return { idx, dir, hops: [], blockers: [], translations: [], unknown: [], srcPinned: false, ...over };
}

export function addHop(
  t: Tracer,
  stage: HopStage,
  ns: string,
  io: { in?: string | null; out?: string | null },
  pkt: Packet,
  verdict: Hop['verdict'],
  text: string,
  decidedBy: HopDecider | null = null,
): void {
  t.hops.push({
    stage,
    ns,
    inIface: io.in ?? null,
    outIface: io.out ?? null,
    src: ipPort(pkt.src, pkt.sport),
    dst: ipPort(pkt.dst, pkt.dport),
    verdict,
    text,
    decidedBy,
  });
  if (verdict === 'unknown') t.unknown.push(text);
}

export const ifName = (t: Tracer, id: string | null): string | null => (id === null ? null : (t.idx.iface(id)?.name ?? id));
