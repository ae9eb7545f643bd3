import type { ExplainProto } from '../../protocol/src/explain.js';
import type { Family } from '../net/ip-addr.js';

/** A packet as a hop sees it: addresses and ports after the translations so far. */
export interface Packet {
  family: Family;
  src: string;
  dst: string;
  proto: ExplainProto;
  /** null: an ephemeral port the kernel picks (a `--sport` match on it is unknown). */
  sport: number | null;
  dport: number | null;
  /** conntrack's view: the request opens a connection, the response belongs to it. */
  ct: 'NEW' | 'ESTABLISHED';
}

/** What a rule can test besides the packet: where it is in the namespace. */
export interface MatchContext {
  pkt: Packet;
  /** `-i`: the interface it came in by (null when the namespace sent it). */
  in: string | null;
  /** `-o`: the interface it leaves by (null before routing, or when delivered locally). */
  out: string | null;
  /** addrtype LOCAL: the namespace holds this address. */
  isLocal(ip: string): boolean;
  /** Whether conntrack translated this connection's destination / source (ctstate DNAT/SNAT). */
  dnat: boolean;
  snat: boolean;
}

export const ipPort = (ip: string, port: number | null): string => (port === null ? ip : ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`);
