import type { HelperClient } from '../../protocol/src/client.js';
import type { Observed } from '../../protocol/src/explain-observe.js';
import type { ExplainResult, ProbeResult } from '../../protocol/src/explain.js';
import { ProtocolError } from '../../protocol/src/errors.js';
import { prefixIds, splitId } from '../../protocol/src/host-ids.js';
import type { Snapshot } from '../../protocol/src/snapshot.js';
import { finalDecider } from '../explain/probe/trace/trace-entries.js';
import { explainHalves, type AcrossParams, type HostSide } from './explain-across.js';

/**
 * A probe across hosts (issue 14): the real probe leaves the source namespace on host A towards
 * B's address (explain.probe there, traced too with `trace`), while host B traces its own half —
 * in by the tunnel's far end, to the destination (explain.observe) — so the kernels of both hosts
 * say where the packets went. B is asked first and the probe waits until B's tracing is up; the
 * observation ends when the probe does (a cancel) and is bounded by time either way. Both halves'
 * tracing is owned by processes of the probe (nft `flags owner`): an ended call, a cancel or a
 * dropped ssh link leaves nothing behind on either host.
 */
const READY_MS = 8000;
const OBSERVED_MS = 6000;
const OBSERVE_MAX_MS = 12_000;

export interface ProbeAcross {
  prediction: ExplainResult;
  probe: ProbeResult;
}

const label = (h: HostSide): string => h.name ?? 'this machine';
const on = <T>(name: string | null, v: T): T => (name === null ? v : prefixIds(name, v));

interface Watching {
  ready: Promise<string | null>;
  observed: Promise<Observed | string>;
  stop: () => void;
}

/** B's half: resolves `ready` (null, or why B is not observed) and later `observed` (or why not). */
function observe(client: HelperClient, params: Parameters<typeof explainObserveParams>[0]): Watching {
  let onReady: (why: string | null) => void = () => {};
  let onObserved: (o: Observed | string) => void = () => {};
  const ready = new Promise<string | null>((r) => (onReady = r));
  const observed = new Promise<Observed | string>((r) => (onObserved = r));
  const timer = setTimeout(() => onReady(`tracing did not start within ${READY_MS / 1000} s`), READY_MS);
  const handle = client.watch('explain.observe', explainObserveParams(params), (d) => {
    if ('ready' in d) onReady(null);
    else onObserved(d.observed);
  }, (end) => {
    clearTimeout(timer);
    const why = end.message ?? `the observation ended (${end.reason})`;
    onReady(why);
    onObserved(why);
  });
  ready.then(() => clearTimeout(timer), () => {});
  return { ready, observed, stop: () => handle.cancel() };
}

function explainObserveParams(p: { srcIp: string; farEnd: string | null; dst: AcrossParams['dst']; proto?: string; port?: number }) {
  return {
    src: { kind: 'address' as const, ip: p.srcIp, ...(p.farEnd !== null ? { via: p.farEnd } : {}) },
    dst: { kind: 'ns' as const, ns: splitId(p.dst.ns).id, ...(p.dst.ip ? { ip: p.dst.ip } : {}) },
    proto: (p.proto ?? 'icmp') as 'icmp' | 'tcp' | 'udp',
    ...(p.port !== undefined ? { port: p.port } : {}),
    maxMs: OBSERVE_MAX_MS,
  };
}

const within = <T>(p: Promise<T>, ms: number, late: T): Promise<T> => Promise.race([p, new Promise<T>((r) => setTimeout(() => r(late), ms).unref?.())]);

/** What host B saw, in a few words: a drop a rule made, else how far the probe's packets got. */
function seenOnB(b: HostSide, dstNs: string, o: Observed | string): string {
  if (typeof o === 'string') return `${label(b)} was not observed: ${o}`;
  const drop = o.trace.find((e) => e.verdict === 'drop');
  if (drop) return `${label(b)} dropped it: ${drop.text}`;
  const inDst = o.seen.find((s) => s.ns === dstNs);
  const anywhere = o.seen.some((s) => s.request > 0);
  const replied = inDst !== undefined && inDst.response > 0;
  if (inDst !== undefined && inDst.request > 0) return `${label(b)} saw the request reach the destination (${inDst.request} packet(s))${replied ? ' and the reply leave' : ', and no reply leave'}`;
  if (anywhere) return `${label(b)} saw the request come in, but not reach the destination`;
  return `${label(b)} saw none of the probe's packets`;
}

export async function probeAcross(merged: Snapshot, params: AcrossParams & { trace?: boolean }, a: HostSide, b: HostSide, signal?: AbortSignal): Promise<ProbeAcross> {
  const halves = await explainHalves(merged, params, a, b);
  const watching = observe(b.client, { srcIp: halves.srcIp, farEnd: halves.farEnd, dst: params.dst, ...(params.proto ? { proto: params.proto } : {}), ...(params.port !== undefined ? { port: params.port } : {}) });
  const abort = (): void => watching.stop();
  signal?.addEventListener('abort', abort, { once: true });
  let sent: ProbeResult;
  const notReady = await watching.ready;
  try {
    if (signal?.aborted) throw new ProtocolError('cancelled', 'the probe was cancelled');
    const probeParams = {
      src: { kind: 'ns' as const, ns: splitId(params.src.ns).id, ...(params.src.ip ? { ip: params.src.ip } : {}) },
      dst: { kind: 'address' as const, ip: halves.dstIp },
      proto: (params.proto ?? 'icmp') as 'icmp' | 'tcp' | 'udp',
      ...(params.port !== undefined ? { port: params.port } : {}),
      // B's address is outside host A by definition; B holds it (the merged picture says so).
      allowOutside: true,
      ...(params.trace ? { trace: true } : {}),
    };
    sent = on(a.name, await a.client.call('explain.probe', probeParams, signal));
  } finally {
    watching.stop();
    signal?.removeEventListener('abort', abort);
  }
  const raw = notReady ?? (await within(watching.observed, OBSERVED_MS, `its trace did not answer within ${OBSERVED_MS / 1000} s`));
  const seen = typeof raw === 'string' ? raw : on(b.name, raw);
  const trace = [...(sent.trace ?? []), ...(typeof seen === 'string' ? [] : seen.trace)];
  const notes = [...(sent.traceNotes ?? []).map((n) => `${label(a)}: ${n}`), ...(typeof seen === 'string' ? [`${label(b)} was not observed: ${seen}`] : seen.traceNotes.map((n) => `${label(b)}: ${n}`))];
  const probe: ProbeResult = {
    reached: sent.reached,
    command: `on ${label(a)}: ${sent.command}`,
    detail: `${sent.detail}; ${seenOnB(b, params.dst.ns, seen)}`,
    ms: sent.ms,
    trace,
    decidedBy: finalDecider(trace, sent.reached),
    traceNotes: notes,
    traced: {
      namespaces: [...(sent.traced?.namespaces ?? []), ...(typeof seen === 'string' ? [] : seen.traced.namespaces)],
      extraMs: Math.round(((sent.traced?.extraMs ?? 0) + (typeof seen === 'string' ? 0 : seen.traced.extraMs)) * 10) / 10,
    },
  };
  return { prediction: halves.result, probe };
}
