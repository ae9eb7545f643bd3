import type { LineTransport } from './line-transport.js';
import { closeOnce } from './line-transport.js';

/** The helper's stdin/stdout as a line transport (the Electron main process and tests use it). */
export function stdioTransport(input: NodeJS.ReadStream | NodeJS.ReadableStream, output: NodeJS.WritableStream & { writableLength?: number }): LineTransport {
  const { close, onClose, closed } = closeOnce();
  input.setEncoding('utf8');
  input.on('end', () => close('input closed'));
  input.on('close', () => close('input closed'));
  input.on('error', () => close('input error'));
  // The reader went away (EPIPE): nobody is left to answer.
  output.on('error', () => close('output error'));
  return {
    send: (t) => {
      if (!closed()) output.write(t);
    },
    onText: (cb) => void input.on('data', (chunk: string | Buffer) => cb(typeof chunk === 'string' ? chunk : chunk.toString('utf8'))),
    onClose,
    close: () => close('closed by helper'),
    bufferedAmount: () => output.writableLength ?? 0,
  };
}
