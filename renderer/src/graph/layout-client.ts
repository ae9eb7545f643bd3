import { COMPOUND_LIMIT, layoutLarge } from './layout-large.js';
import type { Layout, LayoutInput } from './layout-types.js';

type Reply = { seq: number; layout: Layout } | { seq: number; error: string };

let worker: Worker | null = null;
let seq = 0;
const waiting = new Map<number, { resolve: (l: Layout) => void; reject: (e: Error) => void }>();

/**
 * Starts the layout worker now, so it has parsed ELK (~1.5 MB) while the first snapshot is
 * still on its way rather than after it arrived.
 */
export function prewarmLayoutWorker(): void {
  ensureWorker();
}

/**
 * A full layout: ELK in the layout worker, or — for a big host — the row layout of
 * layout-large.ts right here. That one takes a few ms, and waiting for the worker instead
 * put its ~2.7 MB script (ELK, fetched from a helper busy starting its monitors) on the
 * first render's critical path: ~1 s of the 200-namespace benchmark.
 */
export function requestLayout(input: LayoutInput): Promise<Layout> {
  if (input.nodes.length > COMPOUND_LIMIT) return Promise.resolve(layoutLarge(input));
  ensureWorker();
  const id = ++seq;
  return new Promise((resolve, reject) => {
    waiting.set(id, { resolve, reject });
    worker?.postMessage({ seq: id, input });
  });
}

function ensureWorker(): void {
  if (!worker) {
    worker = new Worker(new URL('./layout.worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (e: MessageEvent<Reply>) => {
      const w = waiting.get(e.data.seq);
      if (!w) return;
      waiting.delete(e.data.seq);
      if ('layout' in e.data) w.resolve(e.data.layout);
      else w.reject(new Error(`layout failed: ${e.data.error}`));
    };
  }
}
