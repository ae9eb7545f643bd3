import type { Snapshot } from '../../../protocol/src/index.js';
import { selectableEndpoints } from './selection-form.js';

interface Props {
  snapshot: Snapshot | null;
  /** Selected node ids in the order picked. */
  selection: string[];
  onExplain: () => void;
  onHealth: () => void;
  onExplainSelection: () => void;
}

/** Toolbar: Explain (E), Health (H), and "Explain these two" when two endpoints are selected. */
export function ExplainButtons({ snapshot, selection, onExplain, onHealth, onExplainSelection }: Props) {
  const pair = selectableEndpoints(snapshot, selection).length === 2;
  return (
    <>
      {pair ? (
        <button type="button" onClick={onExplainSelection} title="Explain the path from the first selected to the second">
          Explain these two
        </button>
      ) : null}
      <button type="button" onClick={onExplain} disabled={!snapshot} title="Why a packet gets through or not (E)">
        Explain
      </button>
      <button type="button" onClick={onHealth} disabled={!snapshot} title="Every problem on this host at once (H)">
        Health
      </button>
    </>
  );
}
