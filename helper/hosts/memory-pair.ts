import type { Transport } from '../../protocol/src/client.js';

/** Two ends of an in-memory line transport: the host router speaks to the local helper core through it. */
export function memoryPair(): [Transport, Transport] {
  const make = () => ({ text: [] as ((t: string) => void)[], close: [] as ((r: string) => void)[] });
  const a = make();
  const b = make();
  let closed = false;
  const closeBoth = (reason: string): void => {
    if (closed) return;
    closed = true;
    for (const cb of [...a.close, ...b.close]) cb(reason);
  };
  const end = (me: typeof a, other: typeof a): Transport => ({
    // Asynchronous like a real pipe: a handler never runs inside its caller's send.
    send: (t) => void queueMicrotask(() => !closed && other.text.forEach((cb) => cb(t))),
    onText: (cb) => void me.text.push(cb),
    onClose: (cb) => void me.close.push(cb),
    close: () => closeBoth('closed'),
  });
  return [end(a, b), end(b, a)];
}
