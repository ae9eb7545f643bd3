import type { Snapshot } from '../../../protocol/src/index.js';
import { namespaceName } from '../graph/labels.js';
import type { QueuedIntent } from './control-store.js';
import { nsRef } from './ns-ref.js';

/** Namespaces a new thing can go into: the snapshot's, plus those queued to be created. Value '' = host. */
export function nsOptions(snapshot: Snapshot | null, queue: QueuedIntent[]): { value: string; label: string }[] {
  const out = [{ value: '', label: 'host' }];
  for (const n of snapshot?.namespaces ?? []) {
    const ref = nsRef(n);
    if (ref !== undefined) out.push({ value: ref, label: n.kind === 'named' ? namespaceName(n) : `${namespaceName(n)} (${n.kind})` });
  }
  for (const q of queue) if (q.intent.op === 'netns.create') out.push({ value: q.intent.name, label: `${q.intent.name} (pending)` });
  return out;
}

export const refOrUndefined = (v: string): string | undefined => (v === '' ? undefined : v);
