import type { HelperClient } from '../../protocol/src/client.js';
import { ProtocolError } from '../../protocol/src/errors.js';
import type { ExplainResult } from '../../protocol/src/explain.js';
import { prefixIds, splitId } from '../../protocol/src/host-ids.js';
import type { Snapshot } from '../../protocol/src/snapshot.js';

/**
 * Explain across hosts (issue 14): from a namespace on host A to one on host B. Each host explains
 * its own half — A from the source to B's address (out through the tunnel or the underlay), B from
 * A's address coming in by the tunnel's far end (or the underlay) to the destination — and the
 * halves are joined in order: A's request hops, B's; B's reply hops, A's. Findings of both sides,
 * each naming its host by its ids.
 */
export interface HostSide {
  /** null: the local host (plain ids). */
  name: string | null;
  client: HelperClient;
}

type Endpoint = { kind: 'ns'; ns: string; ip?: string };
export interface AcrossParams {
  src: Endpoint;
  dst: Endpoint;
  proto?: string;
  port?: number;
}

/** The joined answer and what the probe across needs of it: both addresses and the tunnel end B's half starts at. */
export interface AcrossHalves {
  result: ExplainResult;
  srcIp: string;
  dstIp: string;
  /** B's end of the tunnel A's half leaves by (an id on B, unprefixed), or null on a routed underlay. */
  farEnd: string | null;
}

function firstAddress(s: Snapshot, nsId: string): string | null {
  for (const i of s.interfaces) {
    if (i.ns !== nsId || i.kind === 'loopback') continue;
    const v4 = i.addresses.find((a) => /^\d+\.\d+\.\d+\.\d+\//.test(a));
    if (v4) return v4.split('/')[0] ?? null;
  }
  return null;
}

const on = (name: string | null, v: unknown): unknown => (name === null ? v : prefixIds(name, v));
const strip = (id: string): string => splitId(id).id;

export async function explainAcross(merged: Snapshot, params: AcrossParams, a: HostSide, b: HostSide): Promise<ExplainResult> {
  return (await explainHalves(merged, params, a, b)).result;
}

export async function explainHalves(merged: Snapshot, params: AcrossParams, a: HostSide, b: HostSide): Promise<AcrossHalves> {
  const srcIp = params.src.ip ?? firstAddress(merged, params.src.ns);
  const dstIp = params.dst.ip ?? firstAddress(merged, params.dst.ns);
  if (srcIp === null || dstIp === null) throw new ProtocolError('invalid', `${srcIp === null ? 'the source' : 'the destination'} namespace has no IPv4 address to explain a path between hosts with`);
  const hostOf = (id: string): string | null => splitId(id).host;
  const rest = { ...(params.proto !== undefined ? { proto: params.proto } : {}), ...(params.port !== undefined ? { port: params.port } : {}) };
  const ra = await a.client.call('explain.path', { src: { ...params.src, ns: strip(params.src.ns) }, dst: { kind: 'address', ip: dstIp }, ...rest } as never);
  // The tunnel A's half leaves by (its last hop's device), else any joining the two hosts: B's half starts at its far end.
  const exit = ra.request.at(-1)?.outIface ?? null;
  const exitId = exit !== null ? (on(a.name, exit) as string) : null;
  const joins = (merged.tunnels ?? []).filter((t) => t.b !== null && ((hostOf(t.a) === a.name && hostOf(t.b) === b.name) || (hostOf(t.a) === b.name && hostOf(t.b) === a.name)));
  const tunnel = joins.find((t) => t.a === exitId || t.b === exitId) ?? joins[0];
  const farEnd = tunnel ? (hostOf(tunnel.a) === b.name ? tunnel.a : tunnel.b) : null;
  const rb = await b.client.call('explain.path', { src: { kind: 'address', ip: srcIp, ...(farEnd !== null ? { via: strip(farEnd) } : {}) }, dst: { ...params.dst, ns: strip(params.dst.ns) }, ...rest } as never);
  const A = on(a.name, ra) as ExplainResult;
  const B = on(b.name, rb) as ExplainResult;
  const verdict = A.verdict === 'blocked' || B.verdict === 'blocked' ? 'blocked' : A.verdict === 'reaches' && B.verdict === 'reaches' ? 'reaches' : 'unknown';
  const label = (n: string | null): string => n ?? 'this machine';
  const result: ExplainResult = {
    verdict,
    summary: `${A.src.label} on ${label(a.name)} → ${B.dst.label} on ${label(b.name)}: ${verdict === 'reaches' ? 'reaches' : verdict === 'blocked' ? 'blocked' : 'not sure'}${tunnel ? ` (through ${tunnel.type}${tunnel.vni !== null ? ` VNI ${tunnel.vni}` : ''})` : ''}. ${label(a.name)}: ${A.summary} ${label(b.name)}: ${B.summary}`,
    src: A.src,
    dst: B.dst,
    proto: A.proto,
    port: A.port,
    request: [...A.request, ...B.request],
    response: B.request.length > 0 && B.verdict !== 'blocked' ? [...B.response, ...A.response] : [],
    findings: [...A.findings, ...B.findings],
  };
  return { result, srcIp, dstIp, farEnd: farEnd !== null ? strip(farEnd) : null };
}
