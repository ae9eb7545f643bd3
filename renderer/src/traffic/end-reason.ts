import type { CaptureEnd, CaptureParamsInput, StreamEnd } from '../../../protocol/src/index.js';

/** Why a capture ended, as one sentence for the capture's status line. */
export function endSentence(end: CaptureEnd | null, params: Pick<CaptureParamsInput, 'count' | 'seconds'>, stream?: StreamEnd | null): string {
  if (!end) {
    if (!stream) return 'The capture ended.';
    // Cancelling the stream is how Stop works: the helper ends it without an {end}.
    if (stream.reason === 'cancelled' || stream.code === 'cancelled') return 'Stopped by you.';
    if (stream.code === 'terminated') return 'The connection to the helper was lost; the capture ended.';
    return stream.message ? `The capture failed: ${stream.message}` : `The capture ended (${stream.reason}).`;
  }
  switch (end.reason) {
    case 'count':
      return `Stopped after ${params.count ?? end.stats.captured} packet${(params.count ?? end.stats.captured) === 1 ? '' : 's'}.`;
    case 'time':
      return `Stopped after ${params.seconds ?? '?'} second${params.seconds === 1 ? '' : 's'}.`;
    case 'stopped':
      return 'Stopped by you.';
    case 'interface-gone':
      return 'The interface was deleted.';
    case 'namespace-gone':
      return 'The namespace was deleted.';
    case 'tcpdump-died':
      return `tcpdump stopped unexpectedly${end.stderr ? `: ${lastLine(end.stderr)}` : '.'}`;
  }
}

function lastLine(s: string): string {
  const lines = s.trim().split('\n');
  return lines[lines.length - 1] ?? s;
}
