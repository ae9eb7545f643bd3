import type { ExplainProto, ExplainResult, Hop } from '../../../../protocol/src/explain.js';
import { familyOf } from '../../../net/ip-addr.js';
import type { TracePacket } from './nft-trace-text.js';

/**
 * What a scoped trace watches, from the prediction: the namespaces on the predicted path (request,
 * then response; at most MAX_NAMESPACES) and every address pair the probe's packets carry on the
 * way — a DNAT or SNAT changes them, and the trace chain at prerouting sees a packet before its
 * translation and the one at output after the sender's — with the port, so nothing but the probe
 * is traced.
 */
export const MAX_NAMESPACES = 8;

export interface TraceTuple {
  src: string;
  dst: string;
  /** The server's port: the request's destination port, the reply's source port; null for ICMP or not known. */
  port: number | null;
}

export interface TraceScope {
  family: 4 | 6;
  proto: ExplainProto;
  request: TraceTuple[];
  response: TraceTuple[];
  /** Namespace ids to trace, in path order. */
  namespaces: string[];
  /** Namespaces on the path beyond the bound. */
  skipped: string[];
}

/** "10.0.0.2", "10.0.0.2:80", "[fd00::2]:80" → address and port. */
export function splitAddr(s: string): { ip: string; port: number | null } {
  const v6 = /^\[(.+)\]:(\d+)$/.exec(s);
  if (v6) return { ip: v6[1]!, port: Number(v6[2]) };
  const v4 = /^([\d.]+):(\d+)$/.exec(s);
  if (v4) return { ip: v4[1]!, port: Number(v4[2]) };
  return { ip: s, port: null };
}

function add(list: TraceTuple[], t: TraceTuple): void {
  if (familyOf(t.src) === null || familyOf(t.dst) === null) return;
  if (!list.some((x) => x.src === t.src && x.dst === t.dst && x.port === t.port)) list.push(t);
}

/** `origin` is the probe itself (source and destination addresses, port, namespaces), always watched. */
export function traceScope(result: ExplainResult, origin: { src: string; dst: string; port: number | null; srcNs: string; dstNs: string | null }, proto: ExplainProto): TraceScope {
  const family = familyOf(origin.dst) === 6 ? 6 : 4;
  const request: TraceTuple[] = [];
  const response: TraceTuple[] = [];
  add(request, { src: origin.src, dst: origin.dst, port: proto === 'icmp' ? null : origin.port });
  const fromHops = (hops: Hop[], dir: 'request' | 'response'): void => {
    for (const h of hops) {
      const s = splitAddr(h.src);
      const d = splitAddr(h.dst);
      const port = proto === 'icmp' ? null : dir === 'request' ? d.port : s.port;
      add(dir === 'request' ? request : response, { src: s.ip, dst: d.ip, port });
    }
  };
  fromHops(result.request, 'request');
  fromHops(result.response, 'response');
  // Every request pair answered the other way round, even where the prediction stopped short.
  for (const t of request) add(response, { src: t.dst, dst: t.src, port: t.port });
  let seen: string[] = [origin.srcNs];
  for (const h of [...result.request, ...result.response]) if (h.ns !== '' && !seen.includes(h.ns)) seen.push(h.ns);
  // The destination is always watched, also where the prediction stops short: if the packet does get there, the trace shows it.
  const dstNs = origin.dstNs;
  if (dstNs !== null && !seen.slice(0, MAX_NAMESPACES).includes(dstNs)) {
    seen = seen.filter((n) => n !== dstNs);
    seen.splice(Math.min(seen.length, MAX_NAMESPACES - 1), 0, dstNs);
  }
  return { family, proto, request, response, namespaces: seen.slice(0, MAX_NAMESPACES), skipped: seen.slice(MAX_NAMESPACES) };
}

/** Which way a traced packet goes: by its addresses, port and (ICMP) type; null: not the probe's. */
export function directionOf(scope: TraceScope, p: TracePacket): 'request' | 'response' | null {
  if (p.saddr === null || p.daddr === null) return null;
  if (scope.proto === 'icmp') {
    if (p.icmpType === 'echo-request') return scope.request.some((t) => t.src === p.saddr && t.dst === p.daddr) ? 'request' : null;
    if (p.icmpType === 'echo-reply') return scope.response.some((t) => t.src === p.saddr && t.dst === p.daddr) ? 'response' : null;
    return null;
  }
  if (scope.request.some((t) => t.src === p.saddr && t.dst === p.daddr && (t.port === null || t.port === p.dport))) return 'request';
  if (scope.response.some((t) => t.src === p.saddr && t.dst === p.daddr && (t.port === null || t.port === p.sport))) return 'response';
  return null;
}
