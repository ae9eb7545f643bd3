/// <reference lib="webworker" />
import { layoutGraph } from './layout-graph.js';
import type { LayoutInput } from './layout-types.js';

/** Runs ELK off the UI thread: one request `{seq, input}` in, `{seq, layout}` or `{seq, error}` out. */
const scope = self as unknown as DedicatedWorkerGlobalScope;
scope.onmessage = (e: MessageEvent<{ seq: number; input: LayoutInput }>) => {
  const { seq, input } = e.data;
  layoutGraph(input).then(
    (layout) => scope.postMessage({ seq, layout }),
    (err: unknown) => scope.postMessage({ seq, error: err instanceof Error ? err.message : String(err) }),
  );
};
