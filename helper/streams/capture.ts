import type { ChildProcess } from 'node:child_process';
import { CaptureParams, type CaptureEnd, type CaptureEndReason, type CaptureParamsInput, type CaptureStats, type PacketSummary } from '../../protocol/src/capture.js';
import { ProtocolError, invalidFromZod } from '../../protocol/src/errors.js';
import { decodePacket, type DetailNode } from '../decode/summary.js';
import type { NsTarget } from '../discover/ns-target.js';
import { programIn } from '../discover/ns-target.js';
import { terminate, type Exec } from '../exec.js';
import { LINKTYPE, type PcapHeader, type PcapRecord } from '../pcap/format.js';
import { PcapStreamParser } from '../pcap/stream-parser.js';
import { pcapFile } from '../pcap/write-pcap.js';
import { compileFilter, filterArgs } from './capture-filter.js';
import { CaptureRing } from './capture-ring.js';
import { SummaryBatcher, type BatcherOptions } from './summary-batcher.js';
import { followTcp, type TcpFollow } from './tcp-follow.js';
import { endMessage } from './capture-end.js';
import { appendTail, classifyExit, errorLines, kernelDrops } from './tcpdump-stderr.js';

export const DEFAULT_RING_BYTES = 64 * 1024 * 1024;

export interface CaptureSink {
  /** Up to ~30 times a second: the summaries since the last batch, and the counters. */
  onBatch(packets: PacketSummary[], stats: CaptureStats): void;
  /** Exactly once, after the last batch. */
  onEnd(end: CaptureEnd): void;
  /** False while the consumer is backed up: summaries wait (bounded), then are dropped and counted. */
  ready?(): boolean;
}

export interface CapturedPacket {
  summary: PacketSummary;
  linktype: number;
  bytes: Buffer;
  tree: DetailNode[];
}

export interface CaptureHandle {
  /** A packet still in the ring, by its 1-based number, with its full decode. */
  packet(n: number): CapturedPacket | undefined;
  /** The TCP conversation packet n belongs to, both directions, from the ring. */
  follow(n: number): TcpFollow | undefined;
  /** The ring as a standard .pcap file. */
  pcap(): Buffer;
  stats(): CaptureStats;
  /** Ends the capture with reason 'stopped' (same as aborting the signal). */
  stop(): void;
  /** Resolves with the end event once tcpdump has exited and the last batch is out. */
  done: Promise<CaptureEnd>;
  /** Resolves when tcpdump reports it is listening. */
  listening: Promise<void>;
  /** tcpdump's pid (tests check it is gone). */
  pid: number | undefined;
}

export interface CaptureOptions extends BatcherOptions {
  /** Every record as it is parsed, with the file header (the CLI's -w streams them to a file). */
  onRecord?: (rec: PcapRecord, header: PcapHeader) => void;
  /** How often tcpdump is asked for its kernel-drop count (SIGUSR1), and the namespace re-checked. */
  pollMs?: number;
  /** How long tcpdump may take to say it is listening before the start fails. */
  startTimeoutMs?: number;
}

/**
 * Starts `tcpdump -i IF -U -w -` in the interface's namespace (DESIGN §7). Validates the params
 * and compiles the filter first: bad input rejects with ProtocolError and nothing runs.
 * `resolveTarget` maps a namespace id to how to enter it (the topology cache's `target()`); it
 * is polled while the capture runs, and a namespace that stops resolving ends it 'namespace-gone'.
 */
export async function startCapture(
  exec: Exec,
  resolveTarget: (nsId: string) => NsTarget | undefined,
  input: CaptureParamsInput,
  signal: AbortSignal | undefined,
  sink: CaptureSink,
  opts: CaptureOptions = {},
): Promise<CaptureHandle> {
  const parsed = CaptureParams.safeParse(input);
  if (!parsed.success) throw invalidFromZod(parsed.error);
  const params = parsed.data;
  const target = resolveTarget(params.ns);
  if (target === undefined) throw new ProtocolError('not_found', `namespace ${params.ns} does not exist (any more)`, { path: 'ns' });
  await compileFilter(exec, target, params.interface, params.filter, signal);
  if (signal?.aborted) throw new ProtocolError('cancelled', 'the capture was cancelled before it started');

  const argv = programIn(target, [
    'tcpdump', '-i', params.interface, '-U', '-w', '-', '-s', String(params.snaplen),
    // Immediate mode wakes tcpdump per packet (libpcap falls back to TPACKET_V2): packets show
    // at once, but above ~50 000 packets/s the kernel drops many. Without it libpcap hands over
    // whole TPACKET_V3 blocks, retired at the latest after tcpdump's 1 s timeout.
    ...(params.immediate ? ['--immediate-mode'] : []), '-B', '8192',
    ...(params.count !== undefined ? ['-c', String(params.count)] : []),
    ...filterArgs(params.filter),
  ]);
  const child: ChildProcess = exec.spawn(argv);
  const handle = runCapture(child, params, target, resolveTarget, signal, sink, opts);
  // Resolve once tcpdump's socket is bound (it says "listening on"), so traffic sent right after
  // is captured; a tcpdump that dies first resolves too, and its end event says why.
  let timer: NodeJS.Timeout | undefined;
  const started = await Promise.race([
    handle.listening.then(() => true),
    handle.done.then(() => true),
    new Promise<false>((r) => (timer = setTimeout(() => r(false), opts.startTimeoutMs ?? 10_000))),
  ]);
  clearTimeout(timer);
  if (!started) {
    handle.stop();
    await handle.done;
    throw new ProtocolError('failed', `tcpdump on ${params.interface} did not start listening within ${(opts.startTimeoutMs ?? 10_000) / 1000} s`);
  }
  return handle;
}

function runCapture(
  child: ChildProcess,
  params: CaptureParams,
  target: NsTarget,
  resolveTarget: (nsId: string) => NsTarget | undefined,
  signal: AbortSignal | undefined,
  sink: CaptureSink,
  opts: CaptureOptions,
): CaptureHandle {
  const parser = new PcapStreamParser();
  const ring = new CaptureRing(params.ringBytes ?? DEFAULT_RING_BYTES);
  let captured = 0;
  let bytes = 0;
  let stderr = '';
  let listening = false;
  let onListening = (): void => {};
  const listeningP = new Promise<void>((r) => (onListening = r));
  let requested: CaptureEndReason | null = null;
  let ended = false;
  const linktype = (): number => parser.header?.linktype ?? LINKTYPE.EN10MB;

  const stats = (): CaptureStats => ({
    captured,
    bytes,
    kernelDropped: kernelDrops(stderr),
    summariesDropped: batcher.dropped,
    ringEvicted: ring.evicted,
    ringPackets: ring.size,
    ringBytes: ring.byteSize,
  });
  const batcher = new SummaryBatcher((batch) => sink.onBatch(batch, stats()), sink.ready?.bind(sink), opts);
  const summarize = (n: number, rec: PcapRecord): PacketSummary => {
    const d = decodePacket(linktype(), rec.data);
    return { n, time: rec.sec + Math.floor(rec.nsec / 1000) / 1e6, src: d.src, dst: d.dst, proto: d.proto, length: rec.origLen, info: d.info };
  };

  const stop = (reason: CaptureEndReason): void => {
    requested ??= reason;
    terminate(child);
  };
  child.stdout?.on('data', (chunk: Buffer) => {
    for (const rec of parser.push(chunk)) {
      if (params.count !== undefined && captured >= params.count) break;
      const n = ++captured;
      bytes += rec.origLen;
      ring.push({ n, rec });
      if (opts.onRecord && parser.header) opts.onRecord(rec, parser.header);
      // Decoding costs; a summary that would be dropped is not built.
      if (batcher.full) batcher.drop();
      else batcher.offer(summarize(n, rec));
      if (params.count !== undefined && captured >= params.count) stop('count');
    }
    if (parser.error !== null) stop('tcpdump-died');
  });
  child.stderr?.on('data', (b: Buffer) => {
    stderr = appendTail(stderr, b.toString('utf8'));
    if (!listening && stderr.includes('listening on')) {
      listening = true;
      onListening();
    }
  });

  // SIGUSR1 makes tcpdump print its counts, kernel drops included; sent only once it is
  // listening, because before it installs its handler the signal's default action kills it.
  const poll = setInterval(() => {
    if (listening && child.exitCode === null && child.signalCode === null) child.kill('SIGUSR1');
    if (resolveTarget(params.ns) === undefined) stop('namespace-gone');
  }, opts.pollMs ?? 1000);
  const timer = params.seconds !== undefined ? setTimeout(() => stop('time'), params.seconds * 1000) : null;
  const onAbort = (): void => stop('stopped');
  if (signal?.aborted) onAbort();
  else signal?.addEventListener('abort', onAbort, { once: true });

  const done = new Promise<CaptureEnd>((resolve) => {
    const finish = (spawnError?: Error): void => {
      if (ended) return;
      ended = true;
      clearInterval(poll);
      if (timer) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      batcher.drain();
      const reached = params.count !== undefined && captured >= params.count;
      const reason: CaptureEndReason = requested ?? (reached ? 'count' : classifyExit(stderr));
      const end: CaptureEnd = { reason, message: endMessage(reason, params, target, stderr, parser.error, spawnError), stats: stats() };
      const tail = errorLines(stderr).trim();
      if (tail !== '' && reason !== 'count' && reason !== 'time' && reason !== 'stopped') end.stderr = tail.slice(-2000);
      sink.onEnd(end);
      resolve(end);
    };
    child.once('close', () => finish());
    child.once('error', (e) => finish(e));
  });

  return {
    packet: (n) => {
      const e = ring.get(n);
      if (e === undefined) return undefined;
      const d = decodePacket(linktype(), e.rec.data);
      return { summary: summarize(n, e.rec), linktype: linktype(), bytes: e.rec.data, tree: d.tree };
    },
    follow: (n) => followTcp(linktype(), ring.entries(), n),
    pcap: () => pcapFile(linktype(), parser.header?.snaplen ?? params.snaplen, parser.header?.nano ?? false, ring.records()),
    stats,
    stop: () => stop('stopped'),
    done,
    listening: listeningP,
    pid: child.pid,
  };
}
