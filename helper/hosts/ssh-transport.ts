import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import type { Readable } from 'node:stream';
import type { Transport } from '../../protocol/src/client.js';
import { closeOnce } from '../server/line-transport.js';

/** ssh's stdin and the session's output as the protocol's line transport: the remote helper's own stdio (DESIGN §2). */
export function sshTransport(child: ChildProcessWithoutNullStreams, output: Readable): Transport & { bufferedAmount(): number } {
  const { close, onClose, closed } = closeOnce();
  output.setEncoding('utf8');
  child.on('close', (code, signal) => close(`ssh ended (${signal ?? `exit ${String(code)}`})`));
  return {
    send: (t) => {
      if (!closed() && child.stdin.writable) child.stdin.write(t);
    },
    onText: (cb) => void output.on('data', (t: string) => cb(t)),
    onClose,
    close: () => {
      // Closing the helper's input ends it (and root's copy of the bundle with it); ssh follows.
      child.stdin.end();
      const timer = setTimeout(() => child.kill('SIGTERM'), 3000);
      timer.unref();
      close('closed by client');
    },
    bufferedAmount: () => child.stdin.writableLength,
  };
}
