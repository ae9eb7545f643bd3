import * as dgram from 'node:dgram';
import * as net from 'node:net';
import type { z } from 'zod';
import type { ProbeParams, ProbeResult } from '../../../protocol/src/explain.js';
import { ProtocolError } from '../../../protocol/src/errors.js';
import type { Snapshot } from '../../../protocol/src/snapshot.js';
import type { NsTarget } from '../../discover/ns-target.js';
import { programIn } from '../../discover/ns-target.js';
import type { Exec } from '../../exec.js';
import { commandLine } from '../../exec.js';
import { resolveDestination, resolveSource } from '../endpoints.js';
import { familyOf } from '../../net/ip-addr.js';
import { indexSnapshot, nsName } from '../net-index.js';
import type { ConnectArgs, ConnectOutcome } from './connect-probe.js';
import { connectProbe, connectScript } from './connect-probe.js';
import { pingDetail } from './ping-output.js';
import { explainPath } from '../explain-path.js';
import { tracedProbe } from './trace/traced-probe.js';

/**
 * explain.probe: a bounded real test from inside the source namespace — 3 pings 0.2 s apart
 * with a 1 s wait each, or one TCP connect / UDP exchange with a 2 s deadline; the whole probe
 * is killed after 5 s or when the call is cancelled. Only addresses held by a namespace of this
 * host are probed, unless the caller says allowOutside. With `trace`, nftables traces the probe's
 * packets along the predicted path and the result names the rules that really decided
 * (trace/traced-probe.ts).
 */
type Params = z.output<typeof ProbeParams>;

const CONNECT_MS = 2000;
const LIMIT_MS = 5000;

export async function runProbe(exec: Exec, snapshot: Snapshot, p: Params, enter: (nsId: string) => Promise<NsTarget | undefined>, signal?: AbortSignal): Promise<ProbeResult> {
  const idx = indexSnapshot(snapshot);
  const hint = p.dst.kind !== 'ns' && p.dst.ip ? (familyOf(p.dst.ip) ?? undefined) : undefined;
  const src = resolveSource(idx, p.src, hint);
  const dst = resolveDestination(idx, p.dst, src);
  if (src.ns === null) throw new ProtocolError('invalid', `a probe runs from a namespace of this host, and no namespace here holds ${src.ip}`, { path: 'src' });
  const dstIp = dst.ip;
  if (dstIp === null) throw new ProtocolError('invalid', `${dst.label} has no address to probe`, { path: 'dst' });
  if (dst.ns === null && p.allowOutside !== true) {
    throw new ProtocolError('denied', `${dstIp} is not an address of any namespace on this host; netloom probes outside addresses only when asked to (allowOutside)`, { path: 'dst' });
  }
  const port = dst.hostPort ?? p.port;
  if (p.proto !== 'icmp' && port === undefined) throw new ProtocolError('invalid', 'tcp and udp probes need a port', { path: 'port' });
  const target = await enter(src.ns);
  if (!target) throw new ProtocolError('not_found', `netloom cannot enter ${nsName(idx, src.ns)} (it is gone?)`, { path: 'src' });
  const local = src.pinned ? src.ip : null;
  const run = (): Promise<ProbeResult> => probeOnce(exec, target, p.proto, dstIp, port, local, signal);
  if (p.trace !== true) return await run();
  const proto = p.proto;
  const prediction = explainPath(snapshot, { src: p.src, dst: p.dst, proto, ...(p.port !== undefined ? { port: p.port } : {}) });
  const origin = { src: src.ip ?? '', dst: dstIp, port: port ?? null, srcNs: src.ns, dstNs: dst.ns };
  return await tracedProbe({ exec, snapshot, idx, prediction, origin, proto, enter, signal }, run);
}

async function probeOnce(exec: Exec, target: NsTarget, proto: Params['proto'], ip: string, port: number | undefined, local: string | null, signal?: AbortSignal): Promise<ProbeResult> {
  const t0 = performance.now();
  const ms = (): number => Math.round((performance.now() - t0) * 10) / 10;
  if (proto === 'icmp') {
    const argv = programIn(target, ['ping', '-n', '-c', '3', '-W', '1', '-i', '0.2', ...(local ? ['-I', local] : []), ip]);
    const r = await exec.run(argv, { allowFailure: true, timeoutMs: LIMIT_MS, ...(signal ? { signal } : {}) });
    return { ...pingDetail(r.stdout, r.stderr), command: commandLine(argv), ms: ms() };
  }
  const args: ConnectArgs = { ip, port: port ?? 0, proto, ms: CONNECT_MS, local };
  const what = `${proto === 'tcp' ? 'TCP connect to' : 'UDP datagram to'} ${ip}:${args.port}${local ? ` from ${local}` : ''}, ${CONNECT_MS / 1000} s limit`;
  if (target.own) {
    const out = await withSignal(connectProbe(net, dgram, args), signal);
    return { ...out, command: `(in the helper) ${what}`, ms: ms() };
  }
  const argv: ['nsenter', ...string[]] = ['nsenter', `--net=${target.path}`, '--', process.execPath, '-e', connectScript(args)];
  const r = await exec.run(argv, { allowFailure: true, timeoutMs: LIMIT_MS, ...(signal ? { signal } : {}) });
  const shown = `${commandLine(argv.slice(0, 4))} -e '<${what}>'`;
  return { ...readOutcome(r.stdout, r.stderr), command: shown, ms: ms() };
}

function readOutcome(stdout: string, stderr: string): ConnectOutcome {
  try {
    const o = JSON.parse(stdout.trim().split('\n').pop() ?? '') as Partial<ConnectOutcome>;
    if (typeof o.reached === 'boolean' && typeof o.detail === 'string') return { reached: o.reached, detail: o.detail };
  } catch {
    // fall through: the probe did not get to print its outcome
  }
  return { reached: false, detail: stderr.trim().split('\n')[0] || 'the probe printed nothing' };
}

function withSignal<T>(p: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return p;
  if (signal.aborted) return Promise.reject(new ProtocolError('cancelled', 'the probe was cancelled'));
  return new Promise((resolve, reject) => {
    const onAbort = (): void => reject(new ProtocolError('cancelled', 'the probe was cancelled'));
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
