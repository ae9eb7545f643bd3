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
  /** The packet mark (`meta mark`, `-j MARK`): 0 from a socket; null when set by a rule netloom cannot follow. */
  mark: number | null;
  /** The connection's mark (`ct mark`, CONNMARK): shared by request and reply. */
  ctmark: number | null;
}

export const ipPort = (ip: string, port: number | null): string => (port === null ? ip : ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`);
