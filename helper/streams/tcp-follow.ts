import { decodePacket, type Flow } from '../decode/summary.js';
import type { RingEntry } from './capture-ring.js';

export interface FollowSegment {
  /** Packet number the bytes came from. */
  n: number;
  fromClient: boolean;
  data: Buffer;
}

export interface TcpFollow {
  /** "addr.port" of the side that opened the connection (sent the SYN), else of the first packet's sender. */
  client: string;
  server: string;
  segments: FollowSegment[];
  /** True when the byte limit cut the conversation short. */
  truncated: boolean;
}

const end = (f: Flow, side: 'src' | 'dst'): string => (side === 'src' ? `${f.srcAddr}.${f.srcPort}` : `${f.dstAddr}.${f.dstPort}`);

/**
 * The payload of the TCP connection packet `n` belongs to, both directions in capture order,
 * from what is still in the ring ("follow TCP stream"). Retransmitted bytes (a segment wholly
 * before the next expected sequence number) are left out and overlaps trimmed; 32-bit sequence
 * wrap-around is handled by comparing differences.
 */
export function followTcp(linktype: number, entries: Iterable<RingEntry>, n: number, maxBytes = 512 * 1024): TcpFollow | undefined {
  const all = [...entries];
  const target = all.find((e) => e.n === n);
  const tf = target ? decodePacket(linktype, target.rec.data).flow : undefined;
  if (!tf || tf.proto !== 'tcp') return undefined;
  const a = end(tf, 'src');
  const b = end(tf, 'dst');
  let client: string | null = null;
  let first: string | null = null;
  const segs: { n: number; from: string; data: Buffer }[] = [];
  const next = new Map<string, number>();
  let total = 0;
  let truncated = false;
  for (const e of all) {
    const f = decodePacket(linktype, e.rec.data).flow;
    if (!f || f.proto !== 'tcp') continue;
    const from = end(f, 'src');
    const to = end(f, 'dst');
    if (!((from === a && to === b) || (from === b && to === a))) continue;
    first ??= from;
    if (f.flags.includes('SYN') && !f.flags.includes('ACK')) client ??= from;
    // SYN and FIN take one sequence number each; data starts after the SYN.
    let seq = f.seq + (f.flags.includes('SYN') ? 1 : 0);
    let data = e.rec.data.subarray(f.payloadOff, f.payloadEnd);
    const want = next.get(from);
    if (want !== undefined && data.length > 0) {
      const behind = (want - seq) | 0; // bytes already delivered, modulo 2^32
      if (behind >= data.length) continue;
      if (behind > 0) {
        data = data.subarray(behind);
        seq = want;
      }
    }
    if (data.length === 0) {
      if (want === undefined) next.set(from, seq >>> 0);
      continue;
    }
    next.set(from, (seq + data.length) >>> 0);
    if (total + data.length > maxBytes) {
      truncated = true;
      break;
    }
    total += data.length;
    segs.push({ n: e.n, from, data: Buffer.from(data) });
  }
  const c = client ?? first ?? a;
  return { client: c, server: c === a ? b : a, segments: segs.map((s) => ({ n: s.n, fromClient: s.from === c, data: s.data })), truncated };
}
