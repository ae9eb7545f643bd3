import type { CaptureEnd, PacketSummary } from '../../protocol/src/capture.js';

/** One packet as a text line, tcpdump-like: `10:14:20.792442 TCP 10.9.0.1.48470 > 10.9.0.2.8080: 48470 → 8080 [SYN] … (74 bytes)`. */
export function summaryLine(p: PacketSummary): string {
  const d = new Date(Math.floor(p.time * 1000));
  const hms = [d.getHours(), d.getMinutes(), d.getSeconds()].map((x) => String(x).padStart(2, '0')).join(':');
  const micros = String(Math.round((p.time % 1) * 1e6) % 1e6).padStart(6, '0');
  const addr = p.src !== '' || p.dst !== '' ? ` ${p.src} > ${p.dst}:` : '';
  return `${hms}.${micros} ${p.proto}${addr} ${p.info} (${p.length} bytes)`;
}

/** The closing line: counts and why the capture ended. */
export function endLine(end: CaptureEnd): string {
  const s = end.stats;
  const kernel = s.kernelDropped === null ? 'unknown' : String(s.kernelDropped);
  return `${s.captured} packets captured, ${kernel} dropped by kernel, ${s.summariesDropped} dropped by netloom (${end.reason}: ${end.message})`;
}
