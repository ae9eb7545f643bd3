import type { z } from 'zod';
import type { ExplainParams, ExplainResult, Finding, Hop } from '../../protocol/src/explain.js';
import type { Snapshot } from '../../protocol/src/snapshot.js';
import type { Endpoint } from './endpoints.js';
import { firstGlobal, resolveDestination, resolveSource } from './endpoints.js';
import { collectFindings } from './findings/index.js';
import { finding } from './findings/context.js';
import { hairpin, privateSourceOut } from './findings/nat.js';
import { familyOf, isPrivate4 } from '../net/ip-addr.js';
import { indexSnapshot, nsName } from './net-index.js';
import type { NetIndex } from './net-index.js';
import type { Packet } from './packet.js';
import { ipPort } from './packet.js';
import { lookupRoute } from './route-lookup.js';
import type { TraceEnd, TraceStart } from './trace.js';
import { replyTo, runTrace } from './trace.js';
import type { Listening, Tracer } from './tracer.js';
import { addHop, newTracer } from './tracer.js';

/**
 * explain.path, pure: the request traced hop by hop through the snapshot, then its reply back
 * through conntrack's reverse translations, and what stops either, as findings with fixes.
 * "reaches" is claimed only when every hop is decided and passes.
 */
export interface ExplainInputs {
  /** Whether a socket listens on proto/port in a namespace (from `ss`); null or absent: not known. */
  listening?: Listening;
}

type Params = z.output<typeof ExplainParams>;

const resolved = (e: Endpoint) => ({ ns: e.ns, ip: e.ip, label: e.label });

/** A client outside the host: its packets arrive on the interface the host routes it by. */
function outsideStart(idx: NetIndex, ip: string): TraceStart | null {
  const host = idx.host;
  if (!host) return null;
  const r = lookupRoute(idx, host.id, ip);
  return r.kind === 'unicast' ? { ns: host.id, inId: r.dev } : null;
}

function early(src: Endpoint, dst: Endpoint, p: Params, port: number | null, f: Finding): ExplainResult {
  return { verdict: 'blocked', summary: f.message, src: resolved(src), dst: resolved(dst), proto: p.proto, port, request: [], response: [], findings: [f] };
}

function verdictOf(hops: Hop[], ended: boolean): 'reaches' | 'blocked' | 'unknown' {
  if (hops.some((h) => h.verdict === 'drop')) return 'blocked';
  if (!ended || hops.some((h) => h.verdict === 'unknown')) return 'unknown';
  return 'reaches';
}

export function explainPath(snapshot: Snapshot, p: Params, inputs: ExplainInputs = {}): ExplainResult {
  const idx = indexSnapshot(snapshot);
  const hint = p.dst.kind === 'address' || (p.dst.kind !== 'ns' && p.dst.ip) ? (familyOf(p.dst.ip ?? '') ?? undefined) : undefined;
  const src = resolveSource(idx, p.src, hint);
  const dst = resolveDestination(idx, p.dst, src);
  const port = p.proto === 'icmp' ? null : (dst.hostPort ?? p.port ?? null);
  for (const e of [src, dst]) {
    if (e.ip === null && e.ns !== null) {
      const other = e === src ? dst.ip : src.ip;
      const fam = other ? familyOf(other) : null;
      const has = firstGlobal(idx, e.ns) !== null;
      const code = has && fam !== null ? 'family-mismatch' : 'no-address';
      const msg = code === 'family-mismatch' ? `${nsName(idx, e.ns)} has no IPv${fam} address, and ${other} is IPv${fam}: the two ends speak different IP versions.` : `${nsName(idx, e.ns)} has no address (other than loopback or link-local), so it can neither send nor be reached.`;
      return early(src, dst, p, port, finding(code, e.ns, msg, null, { manual: `give it an address (netloom: addr.add)` }));
    }
  }
  const family = familyOf(src.ip ?? '');
  if (family === null || family !== familyOf(dst.ip ?? '')) {
    return early(src, dst, p, port, finding('family-mismatch', src.ns, `${src.ip} is IPv${familyOf(src.ip ?? '')} and ${dst.ip} is IPv${familyOf(dst.ip ?? '')}: a packet cannot go from one IP version to the other.`, null, { manual: 'use addresses of one family at both ends' }));
  }
  const pkt: Packet = { family, src: src.ip ?? '', dst: dst.ip ?? '', proto: p.proto, sport: null, dport: port, ct: 'NEW', mark: 0, ctmark: 0 };
  const pkt0 = { ...pkt };
  // A runtime's userland proxy (docker-proxy) listening on a mapped host port is a listener too.
  const proxied = (ns: string, proto: 'tcp' | 'udp', port: number): boolean =>
    snapshot.portMappings.some((m) => m.ns === ns && m.proto === proto && port >= m.hostPort && port <= (m.hostPortEnd ?? m.hostPort) && (m.proxyPids?.length ?? 0) > 0);
  const listening: Listening = (ns, proto, port, ip) => (proxied(ns, proto, port) ? true : (inputs.listening?.(ns, proto, port, ip) ?? null));
  const request = newTracer(idx, 'request', { srcPinned: src.pinned || src.ns === null, listening });
  const via = p.src.kind === 'address' && p.src.via !== undefined ? idx.iface(p.src.via) : undefined;
  const start = src.ns !== null ? { ns: src.ns, inId: null } : via !== undefined ? { ns: via.ns, inId: via.id } : outsideStart(idx, pkt.src);
  let end: TraceEnd = { kind: 'stopped', pkt };
  const lostVia = p.src.kind === 'address' && p.src.via !== undefined && via === undefined;
  if (start === null || lostVia) addHop(request, 'send', idx.host?.id ?? '', {}, pkt, 'unknown', lostVia ? `${p.src.kind === 'address' ? p.src.via : ''}, where ${pkt.src}'s packets come in, is not in the snapshot` : `the host has no route to ${pkt.src}: netloom cannot tell where its packets would come in`);
  else if (start !== null) end = runTrace(request, start, pkt);

  let response: Tracer | null = null;
  let extra: Finding[] = [];
  let back: TraceEnd | null = null;
  if (end.kind !== 'stopped') {
    const reply = replyTo(end.pkt);
    response = newTracer(idx, 'response', { translations: request.translations.map((x) => ({ ...x, orig: { ...x.orig }, now: { ...x.now } })) });
    if (end.kind === 'outside' && dst.ns === null && isPrivate4(end.pkt.src) && !isPrivate4(end.pkt.dst)) {
      const f = privateSourceOut({ idx, proto: p.proto, port, src, dst, request, response, listening }, end.ns, end.dev, end.pkt.src);
      if (f) extra = [f];
      addHop(response, 'uplink', end.ns, { in: end.dev }, reply, 'drop', `no reply comes back: ${end.pkt.src} is a private address the internet does not route`);
    } else {
      back = runTrace(response, end.kind === 'delivered' ? { ns: end.ns, inId: null } : { ns: end.ns, inId: end.dev }, reply);
      const origin = request.origin ?? src.ip;
      if (back.kind === 'delivered' && (back.ns !== src.ns || back.pkt.dst !== origin)) {
        addHop(response, 'deliver', back.ns, {}, back.pkt, 'drop', `the reply ends in ${nsName(idx, back.ns)} for ${back.pkt.dst}, not at the sender ${src.label}`);
      } else if (back.kind === 'delivered' && (back.pkt.src !== pkt0.dst || (port !== null && back.pkt.sport !== port))) {
        // The reply skipped the namespace that translated the request (a hairpin without MASQUERADE).
        addHop(response, 'deliver', back.ns, {}, back.pkt, 'drop', `the reply comes from ${ipPort(back.pkt.src, back.pkt.sport)}, but ${src.label} talks to ${ipPort(pkt0.dst, port)}: it drops the reply`);
        const h = hairpin(idx, request, src);
        if (h) extra = [h];
      }
      if (back.kind === 'outside' && src.ns !== null) addHop(response, 'uplink', back.ns, {}, back.pkt, 'drop', `the reply leaves the host instead of returning to ${src.label}`);
    }
  }
  const findings = [...collectFindings({ idx, proto: p.proto, port, src, dst, request, response, listening }), ...extra];
  const reqVerdict = verdictOf(request.hops, end.kind !== 'stopped');
  const respVerdict = response === null ? 'blocked' : verdictOf(response.hops, back !== null && back.kind !== 'stopped');
  const verdict0 = reqVerdict === 'blocked' || (reqVerdict === 'reaches' && respVerdict === 'blocked') ? 'blocked' : reqVerdict === 'reaches' && respVerdict === 'reaches' ? 'reaches' : reqVerdict === 'unknown' && respVerdict === 'blocked' && response !== null ? 'blocked' : 'unknown';
  // A host port nobody maps reaches the host itself: "reaches" only if something there is known to listen.
  const unmapped = findings.some((f) => (f.code === 'no-dnat' || f.code === 'dnat-prerouting-only') && f.severity === 'error');
  const verdict = verdict0 === 'reaches' && unmapped ? 'unknown' : verdict0;
  return {
    verdict,
    summary: summaryOf(idx, verdict, src, dst, p.proto, port, request, response, findings),
    src: resolved(src),
    dst: resolved(dst),
    proto: p.proto,
    port,
    request: request.hops,
    response: response?.hops ?? [],
    findings,
  };
}

function summaryOf(idx: NetIndex, verdict: string, src: Endpoint, dst: Endpoint, proto: string, port: number | null, req: Tracer, resp: Tracer | null, findings: Finding[]): string {
  const what = `${proto}${port !== null ? ` port ${port}` : ''} from ${src.label} to ${dst.ns === null ? ipPort(dst.ip ?? '?', null) : dst.label}`;
  if (verdict === 'reaches') return `${what}: the request reaches and the reply comes back.`;
  const stop = [...req.hops, ...(resp?.hops ?? [])].find((h) => h.verdict === 'drop');
  const first = findings[0];
  if (verdict === 'blocked') return `${what} is blocked: ${first ? first.message : stop ? `${stop.text} (in ${nsName(idx, stop.ns)})` : 'the packet is dropped'}`;
  const unsure = [...req.hops, ...(resp?.hops ?? [])].find((h) => h.verdict === 'unknown');
  return `${what}: netloom cannot say for sure${unsure ? ` — ${unsure.text}` : ''}.`;
}
