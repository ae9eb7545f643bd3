import { createWriteStream, type WriteStream } from 'node:fs';
import { ProtocolError } from '../../protocol/src/errors.js';
import { systemExec } from '../exec.js';
import { globalHeader, recordHeader } from '../pcap/format.js';
import { startCapture } from '../streams/capture.js';
import { resolveNsArg } from '../streams/resolve-ns-arg.js';
import { endLine, summaryLine } from '../streams/summary-line.js';
import type { Command } from './command.js';

const USAGE = 'capture --ns NS -i IF [-c N] [-w FILE] [-s SNAPLEN] [-G SECONDS] [--immediate] [FILTER…]';

interface Args {
  ns: string;
  iface: string;
  count?: number;
  file?: string;
  snaplen?: number;
  seconds?: number;
  filter: string;
  immediate: boolean;
}

function parseArgs(args: string[]): Args | string {
  const out: Partial<Args> = {};
  const filter: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    const value = (): string | undefined => args[++i];
    const num = (v: string | undefined): number => (v !== undefined && /^\d+(\.\d+)?$/.test(v) ? Number(v) : NaN);
    if (a === '--ns') out.ns = value();
    else if (a === '-i') out.iface = value();
    else if (a === '-c') out.count = num(value());
    else if (a === '-w') out.file = value();
    else if (a === '-s') out.snaplen = num(value());
    else if (a === '-G') out.seconds = num(value());
    else if (a === '--immediate') out.immediate = true;
    else if (a === '--') filter.push(...args.slice(i + 1)), (i = args.length);
    else if (a.startsWith('-') && filter.length === 0) return `unknown option ${a}`;
    else filter.push(a);
  }
  if (out.ns === undefined || out.iface === undefined) return '--ns and -i are required';
  for (const k of ['count', 'snaplen', 'seconds'] as const) if (Number.isNaN(out[k])) return `-${{ count: 'c', snaplen: 's', seconds: 'G' }[k]} needs a number`;
  return { ns: out.ns, iface: out.iface, count: out.count, file: out.file, snaplen: out.snaplen, seconds: out.seconds, filter: filter.join(' '), immediate: out.immediate ?? false };
}

/** `netloom capture`: one line per packet on stdout, the pcap to -w FILE, ends after -c N or on Ctrl+C. */
export const captureCommand: Command = {
  name: 'capture',
  usage: USAGE,
  summary: 'capture packets on an interface of any namespace',
  async run(argv) {
    const args = parseArgs(argv);
    if (typeof args === 'string') {
      process.stderr.write(`netloom capture: ${args}\nusage: netloom ${USAGE}\n`);
      return 2;
    }
    const ns = await resolveNsArg(args.ns);
    if (typeof ns === 'string') {
      process.stderr.write(`netloom capture: ${ns}\n`);
      return 1;
    }
    let file: WriteStream | null = null;
    const ac = new AbortController();
    const onSignal = (): void => ac.abort();
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    try {
      const cap = await startCapture(
        systemExec,
        ns.resolve,
        { ns: ns.target.id, interface: args.iface, filter: args.filter, count: args.count, snaplen: args.snaplen, seconds: args.seconds, immediate: args.immediate },
        ac.signal,
        {
          onBatch: (packets) => process.stdout.write(packets.map((p) => summaryLine(p) + '\n').join('')),
          onEnd: (end) => process.stderr.write(endLine(end) + '\n'),
          // A slow terminal or pipe: summaries wait (bounded) and are then dropped and counted.
          ready: () => !process.stdout.writableNeedDrain,
        },
        {
          onRecord: args.file
            ? (rec, header) => {
                if (file === null) {
                  file = createWriteStream(args.file as string);
                  file.write(globalHeader(header.linktype, header.snaplen, header.nano));
                }
                file.write(Buffer.concat([recordHeader(rec, header.nano), rec.data]));
              }
            : undefined,
        },
      );
      process.stderr.write(`netloom: capturing on ${args.iface} in ${ns.target.name ?? ns.target.id}${args.filter ? ` (${args.filter})` : ''}\n`);
      const end = await cap.done;
      const f = file as WriteStream | null;
      if (f !== null) await new Promise<void>((r) => f.end(() => r()));
      else if (args.file) await new Promise<void>((r) => createWriteStream(args.file as string).end(globalHeader(1, args.snaplen ?? 262144, false), () => r()));
      await new Promise<void>((r) => process.stdout.write('', () => r()));
      return end.reason === 'count' || end.reason === 'time' || end.reason === 'stopped' ? 0 : 1;
    } catch (e) {
      const msg = e instanceof ProtocolError ? e.message : e instanceof Error ? e.message : String(e);
      process.stderr.write(`netloom capture: ${msg}\n`);
      return e instanceof ProtocolError && e.code === 'invalid' ? 2 : 1;
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  },
};
