import type { FirewallFamily } from '../../../../protocol/src/firewall.js';
import { FirewallFamily as FamilySchema } from '../../../../protocol/src/firewall.js';

/**
 * One line of `nft -a monitor trace` (nftables 1.0.6), as the kernel's trace events print:
 *
 *   trace id 9da7e4ea inet f fw packet: iif "ra" oif "rb" ether saddr … ip saddr 10.0.1.2 ip daddr 10.0.2.2 … icmp type echo-request …
 *   trace id 9da7e4ea ip filter WEB rule tcp dport 81  counter packets 0 bytes 0 drop # handle 6 (verdict drop)
 *   trace id 9da7e4ea inet netloom-trace pre unknown rule handle 3 (verdict continue)
 *   trace id 9da7e4ea inet f fw policy drop
 *
 * A `packet:` line opens each base chain's traversal (the kernel dumps the headers with the first
 * event of every nft_do_chain call); `rule` lines follow, in jumped-to chains too; the traversal
 * ends with a rule whose verdict ends it or the base chain's policy. "unknown rule handle N" is
 * what nft prints for a rule its cache (taken when the monitor started) does not hold.
 * Fixtures: test/fixtures/nft-trace/.
 */
export interface TracePacket {
  iif: string | null;
  oif: string | null;
  saddr: string | null;
  daddr: string | null;
  /** tcp, udp, icmp, icmpv6 (ipv6-icmp is spelt icmpv6 here), or null. */
  proto: string | null;
  sport: number | null;
  dport: number | null;
  /** echo-request, echo-reply… */
  icmpType: string | null;
  /** The IPv4 id: the same packet at every hook of one namespace. */
  ipId: number | null;
}

export type TraceLine =
  | { kind: 'packet'; id: string; family: FirewallFamily; table: string; chain: string; packet: TracePacket }
  /** `text` null: nft printed "unknown rule" (not in its cache). `verdict`: accept, drop, continue, jump X, goto X, return, queue… */
  | { kind: 'rule'; id: string; family: FirewallFamily; table: string; chain: string; text: string | null; handle: number | null; verdict: string }
  | { kind: 'policy'; id: string; family: FirewallFamily; table: string; chain: string; policy: string }
  /** Any other event (a chain's implicit return, a future kind): its verdict when it says one. */
  | { kind: 'other'; id: string; family: FirewallFamily; table: string; chain: string; text: string; verdict: string | null };

const HEAD = /^trace id ([0-9a-f]+) (\S+) (\S+) (\S+) (.*)$/;

export function parseTraceLine(line: string): TraceLine | null {
  const m = HEAD.exec(line.trimEnd());
  if (!m) return null;
  const fam = FamilySchema.safeParse(m[2]);
  if (!fam.success) return null;
  const base = { id: m[1]!, family: fam.data, table: m[3]!, chain: m[4]! };
  const rest = m[5]!.trim();
  if (rest.startsWith('packet:')) return { kind: 'packet', ...base, packet: parsePacket(rest.slice('packet:'.length)) };
  if (rest.startsWith('policy ')) return { kind: 'policy', ...base, policy: rest.slice('policy '.length).trim() };
  const verdictM = /\(verdict ([^)]*)\)$/.exec(rest);
  const verdict = verdictM ? verdictM[1]!.trim() : null;
  const body = verdictM ? rest.slice(0, verdictM.index).trim() : rest;
  const unknown = /^unknown rule handle (\d+)$/.exec(body);
  if (unknown) return { kind: 'rule', ...base, text: null, handle: Number(unknown[1]), verdict: verdict ?? 'continue' };
  if (body.startsWith('rule ') && verdict !== null) {
    const h = /\s*# handle (\d+)$/.exec(body);
    const text = (h ? body.slice(0, h.index) : body).slice('rule '.length).replace(/\s+/g, ' ').trim();
    return { kind: 'rule', ...base, text, handle: h ? Number(h[1]) : null, verdict };
  }
  return { kind: 'other', ...base, text: body, verdict };
}

/** Splits the monitor's output into lines and parses each; lines that are not trace events are skipped. */
export function parseTraceText(text: string): TraceLine[] {
  const out: TraceLine[] = [];
  for (const line of text.split('\n')) {
    const t = parseTraceLine(line);
    if (t) out.push(t);
  }
  return out;
}

const num = (s: string | undefined): number | null => (s !== undefined && /^\d+$/.test(s) ? Number(s) : null);
const unquote = (s: string | undefined): string | null => (s === undefined ? null : s.replace(/^"(.*)"$/, '$1'));

/** The header fields of a `packet:` line netloom needs; everything else (ether, dscp, raw `@th,…`) is skipped. */
export function parsePacket(text: string): TracePacket {
  const w = text.trim().split(/\s+/);
  const p: TracePacket = { iif: null, oif: null, saddr: null, daddr: null, proto: null, sport: null, dport: null, icmpType: null, ipId: null };
  for (let i = 0; i < w.length; i++) {
    const a = w[i]!;
    const b = w[i + 1];
    const c = w[i + 2];
    if (a === 'iif' || a === 'oif') {
      p[a] = unquote(b);
      i++;
    } else if ((a === 'ip' || a === 'ip6') && (b === 'saddr' || b === 'daddr')) {
      p[b] = c ?? null;
      i += 2;
    } else if (a === 'ip' && b === 'id') {
      p.ipId = num(c);
      i += 2;
    } else if ((a === 'ip' && b === 'protocol') || (a === 'ip6' && b === 'nexthdr')) {
      p.proto = c === 'ipv6-icmp' ? 'icmpv6' : (c ?? null);
      i += 2;
    } else if ((a === 'tcp' || a === 'udp' || a === 'sctp') && (b === 'sport' || b === 'dport')) {
      p.proto ??= a;
      p[b] = num(c);
      i += 2;
    } else if ((a === 'icmp' || a === 'icmpv6') && b === 'type') {
      p.proto ??= a;
      p.icmpType = c ?? null;
      i += 2;
    }
  }
  return p;
}
