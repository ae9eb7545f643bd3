import type { CaptureEndReason, CaptureParams } from '../../protocol/src/capture.js';
import type { NsTarget } from '../discover/ns-target.js';
import { errorLines } from './tcpdump-stderr.js';

/** The end event's sentence: what ended, where, and for a dead tcpdump its last word. */
export function endMessage(reason: CaptureEndReason, p: CaptureParams, t: NsTarget, stderr: string, parseError: string | null, spawnError?: Error): string {
  const where = `${p.interface} in namespace ${t.name ?? t.id}`;
  switch (reason) {
    case 'count': return `captured ${p.count} packets on ${where}`;
    case 'time': return `captured on ${where} for ${p.seconds} s`;
    case 'stopped': return `capture on ${where} stopped`;
    case 'interface-gone': return `interface ${p.interface} no longer exists in namespace ${t.name ?? t.id}; the capture ended`;
    case 'namespace-gone': return `namespace ${t.name ?? t.id} no longer exists; the capture on ${p.interface} ended`;
    case 'tcpdump-died': {
      const why = spawnError?.message ?? parseError ?? (errorLines(stderr).trim().split('\n').pop() || 'no message');
      return `tcpdump on ${where} ended unexpectedly: ${why}`;
    }
  }
}
