import type { Hop, HopDecider, HopStage } from '../../protocol/src/explain.js';
import type { Interface, Rule } from '../../protocol/src/snapshot.js';
import type { IpRule } from '../../protocol/src/firewall.js';
import type { BaseChain } from '../firewall/ns-firewall.js';
import type { WalkVerdict } from '../firewall/walk.js';
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
  | { kind: 'route-refused'; ns: string; pkt: Packet; decider: HopDecider; rule?: IpRule }
  | { kind: 'lo-down'; ns: string; lo: Interface }
  | { kind: 'link-down'; ns: string; iface: Interface }
  | { kind: 'forwarding-off'; ns: string; pkt: Packet }
  | { kind: 'filter'; ns: string; hook: HopStage; station: BaseChain; verdict: WalkVerdict; pkt: Packet; in: string | null; out: string | null; bridged: boolean }
  | { kind: 'no-neighbour'; ns: string; dev: Interface; nexthop: string }
  | { kind: 'not-listening'; ns: string; pkt: Packet }
  | { kind: 'martian'; ns: string; pkt: Packet }
  /** Sockets listen on the port, but bound to other addresses. */
  | { kind: 'not-bound'; ns: string; pkt: Packet; boundTo: string[] }
  /** Reverse-path filtering: the way back to the source leaves by another interface (strict) or there is none. */
  | { kind: 'rp-filter'; ns: string; pkt: Packet; inId: string; mode: 1 | 2; back: string | null }
  /** 127.0.0.0/8 routed off the loopback without route_localnet. */
  | { kind: 'route-localnet'; ns: string; pkt: Packet; dev: string; orig: string }
  /** A policy rule sent the packet to a table that routes it elsewhere than the main table would. */
  | { kind: 'policy-route'; ns: string; pkt: Packet; rule: IpRule; decider: HopDecider | null }
  | { kind: 'unread'; ns: string; why: string[] }
  /** conntrack already decided this connection's NAT in `ns` (an earlier, bridged pass): a translation is skipped. */
  | { kind: 'nat-skipped'; ns: string; pkt: Packet; manip: 'src' | 'dst'; rule: Rule };

/** What `ss` says of a port: listening (on an address that takes this packet), closed, or bound elsewhere. */
export type ListenAnswer = boolean | null | { boundTo: string[] };
export type Listening = (ns: string, proto: 'tcp' | 'udp', port: number, ip?: string) => ListenAnswer;

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
  listening?: Listening | undefined;
  /** Namespaces whose unread firewall this trace already mentioned. */
  unreadSaid: Set<string>;
  /** Per namespace, the NAT kinds conntrack has decided for this connection (first sighting wins). */
  natDone: Map<string, Set<'src' | 'dst'>>;
  /** The user named the source address: the routing decision must not pick another. */
  srcPinned: boolean;
  /** The source address the sending namespace chose (before any SNAT): where the reply must end. */
  origin?: string;
}

export function newTracer(idx: NetIndex, dir: Tracer['dir'], over: Partial<Tracer> = {}): Tracer {
  return { idx, dir, hops: [], blockers: [], translations: [], unknown: [], srcPinned: false, unreadSaid: new Set(), natDone: new Map(), ...over };
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
