/// <reference lib="webworker" />
import { layoutGraph } from './layout-graph.js';
import type { LayoutInput } from './layout-types.js';

/**
 * Runs ELK off the UI thread: one request `{seq, input}` in, `{seq, layout}` or
 * `{seq, error}` out. A listener, not `onmessage`: elkjs, when first evaluated inside a
 * worker, assigns `self.onmessage` to its own dispatcher and would replace ours.
 */
const scope = self as unknown as DedicatedWorkerGlobalScope;
scope.addEventListener('message', (e: MessageEvent<{ seq?: number; input?: LayoutInput }>) => {
  const { seq, input } = e.data;
  if (typeof seq !== 'number' || !input) return;
  layoutGraph(input).then(
    (layout) => scope.postMessage({ seq, layout }),
    (err: unknown) => scope.postMessage({ seq, error: err instanceof Error ? err.message : String(err) }),
  );
});
