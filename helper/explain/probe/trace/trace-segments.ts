import type { FirewallFamily } from '../../../../protocol/src/firewall.js';
import type { TraceLine, TracePacket } from './nft-trace-text.js';

/**
 * A monitor's trace lines → one segment per base chain traversal: the base chain (from its
 * `packet:` line), the packet as that chain saw it, and the event that ended it — a rule whose
 * verdict is final for the chain (accept, drop, queue…) or the chain's policy. Lines are matched to
 * their traversal by trace id (packets of one probe come one after another, but a reply may start
 * while nft still prints the request). A traversal cut short (the monitor stopped) has no end.
 */
export type TraceEnd = Extract<TraceLine, { kind: 'rule' | 'policy' }>;

export interface TraceSegment {
  family: FirewallFamily;
  table: string;
  chain: string;
  packet: TracePacket | null;
  /** The rule lines on the way (jumps, the end rule too). */
  rules: Extract<TraceLine, { kind: 'rule' }>[];
  end: TraceEnd | null;
  /** When the first line arrived (ms, the caller's clock): orders segments of several monitors. */
  at: number;
}

/** Verdicts that end a base chain's traversal; continue, jump, goto and return go on. */
const FINAL = /^(accept|drop|queue|stolen|reject)\b/;

export function isFinal(verdict: string): boolean {
  return FINAL.test(verdict);
}

export function segmentsOf(lines: readonly { line: TraceLine; at: number }[]): TraceSegment[] {
  const out: TraceSegment[] = [];
  const open = new Map<string, TraceSegment>();
  for (const { line, at } of lines) {
    if (line.kind === 'packet') {
      const s: TraceSegment = { family: line.family, table: line.table, chain: line.chain, packet: line.packet, rules: [], end: null, at };
      out.push(s);
      open.set(line.id, s);
      continue;
    }
    let s = open.get(line.id);
    if (s === undefined) {
      // Its packet line was not seen (the monitor started late): the chain of its first event stands in.
      s = { family: line.family, table: line.table, chain: line.chain, packet: null, rules: [], end: null, at };
      out.push(s);
      open.set(line.id, s);
    }
    if (line.kind === 'rule') {
      s.rules.push(line);
      if (isFinal(line.verdict)) {
        s.end = line;
        open.delete(line.id);
      }
    } else if (line.kind === 'policy') {
      s.end = line;
      open.delete(line.id);
    }
  }
  return out;
}
