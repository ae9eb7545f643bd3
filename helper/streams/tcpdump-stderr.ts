import type { CaptureEndReason } from '../../protocol/src/capture.js';

/** The last "N packets dropped by kernel" tcpdump printed (on SIGUSR1 and at exit), or null. */
export function kernelDrops(stderr: string): number | null {
  const all = [...stderr.matchAll(/(\d+) packets? dropped by kernel/g)];
  const last = all[all.length - 1];
  return last ? Number(last[1]) : null;
}

/** Lines tcpdump prints when its interface is deleted, renamed away or unusable (libpcap's pcap-linux.c). */
const INTERFACE_GONE = [
  /The interface disappeared/i,
  /The interface went down/i,
  /No such device exists/i,
  /No such device( or address)?\b/i,
  /ENXIO|ENODEV/,
];
/** nsenter could not enter: the namespace's file is gone or no longer a namespace. */
const NAMESPACE_GONE = [/nsenter: cannot open/i, /nsenter: reassociate to namespace/i, /nsenter: setns/i];

/** Why tcpdump ended by itself, judged from its stderr. */
export function classifyExit(stderr: string): Exclude<CaptureEndReason, 'count' | 'time' | 'stopped'> {
  if (NAMESPACE_GONE.some((r) => r.test(stderr))) return 'namespace-gone';
  if (INTERFACE_GONE.some((r) => r.test(stderr))) return 'interface-gone';
  return 'tcpdump-died';
}

/** Keeps the last `max` characters of a growing stderr. */
export function appendTail(tail: string, chunk: string, max = 8192): string {
  const s = tail + chunk;
  return s.length > max ? s.slice(s.length - max) : s;
}

/** The meaningful lines of tcpdump's stderr (without its banner and statistics). */
export function errorLines(stderr: string): string {
  return stderr
    .split('\n')
    .filter((l) => l.trim() !== '' && !/listening on|packets? (captured|received by filter|dropped by kernel)/.test(l))
    .join('\n');
}
