import { useControl, useControlStore } from './use-control.js';

/** After an action queued something: a pointer to where it waits. */
export function QueuedNote({ count }: { count: number }) {
  const store = useControlStore();
  const pending = useControl((s) => s.queue.length);
  if (count === 0 || pending === 0) return null;
  return (
    <p className="ctl-queued" role="status">
      Added to the plan — nothing runs until you apply it.{' '}
      <button type="button" className="ctl-link" onClick={() => store.showPanel('pending')}>
        Review {pending} pending change{pending === 1 ? '' : 's'}
      </button>
    </p>
  );
}
