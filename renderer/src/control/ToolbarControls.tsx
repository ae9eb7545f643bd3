import type { Snapshot } from '../../../protocol/src/index.js';
import { NewMenu } from './NewMenu.js';
import { useControl } from './use-control.js';

/** Toolbar: New ▾, Pending changes (with its count) and History. */
export function ToolbarControls({ snapshot, onPending, onHistory, onNewPortMapping }: { snapshot: Snapshot | null; onPending: () => void; onHistory: () => void; onNewPortMapping: () => void }) {
  const pending = useControl((s) => s.queue.length);
  return (
    <>
      <NewMenu snapshot={snapshot} onPortMapping={onNewPortMapping} />
      <button type="button" onClick={onPending} aria-label={`pending changes (${pending})`} title="The plan waiting to be applied">
        Pending{pending ? <span className="count ctl-pending-count">{pending}</span> : null}
      </button>
      <button type="button" onClick={onHistory} title="Applied plans; Ctrl+Z undoes the last">
        History
      </button>
    </>
  );
}
